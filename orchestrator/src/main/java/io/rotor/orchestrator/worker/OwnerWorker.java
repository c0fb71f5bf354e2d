package io.rotor.orchestrator.worker;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.OperatorConfirmation;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStalled;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.Topics;
import io.rotor.kit.messaging.HandleLater;
import io.rotor.kit.messaging.InboundRecord;
import io.rotor.kit.messaging.KafkaSettings;
import io.rotor.orchestrator.registry.RegisteredCredential;
import io.rotor.orchestrator.saga.Decision;
import io.rotor.orchestrator.saga.Inbound;
import io.rotor.orchestrator.saga.SagaRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One member of the orchestrator group: it owns the sagas of the credentials whose partitions it is assigned, and is
 * the only replica that acts for them. Everything happens on its one thread, in this order per record: decode (bad
 * records go to {@code rotor.dlq}), decide, publish the answer (acknowledged), persist the saga state (acknowledged),
 * then commit the offset. Between polls it checks deadlines and schedules of what it owns.
 *
 * <p>On assignment it restores the saga state of each new partition from {@code rotor.state} before reading a single
 * record of it (the rebalance callback runs on this thread, inside {@code poll}); on revocation it has nothing in
 * flight, because records are handled one by one on this same thread.
 */
public final class OwnerWorker {

    private static final Logger LOG = Logger.getLogger(OwnerWorker.class);

    private final String name;
    private final WorkerParts parts;
    private final Map<CredentialRef, SagaRecord> sagas = new ConcurrentHashMap<>();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    /** Timer outputs already published and not yet read back; forgotten on rebalance. */
    private final Set<String> published = new HashSet<>();
    private final Map<CredentialRef, Optional<Instant>> reportedDue = new HashMap<>();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong crashes = new AtomicLong();
    private volatile boolean running;
    private final RecordRetries retries = new RecordRetries();
    private volatile Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile CredentialPartitions partitions;
    private volatile CountDownLatch assigned = new CountDownLatch(1);
    /** Counted down by {@link #stop()}: ends a back-off pause at once. */
    private volatile CountDownLatch stopping = new CountDownLatch(1);
    private Instant nextTick = Instant.MIN;
    private long lastTickNanos;
    private Duration backoff;

    OwnerWorker(String name, WorkerParts parts) {
        this.name = name;
        this.parts = parts;
        this.backoff = parts.config().retryBackoffInitial();
    }

    public String name() {
        return name;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        assigned = new CountDownLatch(1);
        stopping = new CountDownLatch(1);
        thread = new Thread(this::run, "rotor-owner-" + name);
        // Never the thread that keeps a stopping JVM alive: what it has not committed is read again by the next owner.
        thread.setDaemon(true);
        thread.start();
    }

    /** Leaves the group (its partitions go to the other members) and forgets all in-memory state. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        // Also ends a back-off pause between attempts to rejoin (a broker long gone), which wakeup() cannot reach.
        // Not an interrupt: that would cut short the consumer's close, and with it the clean leave of the group.
        stopping.countDown();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean running() {
        return running && thread != null && thread.isAlive();
    }

    /** Waits until this member has been given its first assignment (possibly empty). */
    public boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The partitions whose sagas this member owns. */
    public Set<Integer> ownedPartitions() {
        return Set.copyOf(owned);
    }

    /** The saga state of an owned credential. */
    public Optional<SagaRecord> saga(CredentialRef ref) {
        return Optional.ofNullable(sagas.get(ref));
    }

    public boolean owns(CredentialRef ref) {
        CredentialPartitions p = partitions;
        return p != null && owned.contains(p.of(ref));
    }

    /** How many times deadlines and schedules have been checked; tests wait on it instead of sleeping. */
    public long ticks() {
        return ticks.get();
    }

    /** Records whose handling failed and is being retried. */
    public long failures() {
        return failures.get();
    }

    /**
     * The record this member has been retrying for longer than {@code after} without handling it (Kafka not taking
     * its writes, the registry never listed), and since when; empty while it moves.
     */
    public Optional<String> stuck(Duration after) {
        return retries.stuck(after, parts.clock().instant());
    }

    /** How often the member had to start over with a new consumer. */
    public long crashes() {
        return crashes.get();
    }

    private void run() {
        Duration pause = parts.config().retryBackoffInitial();
        while (running) {
            try {
                runConsumer();
                pause = parts.config().retryBackoffInitial();
            } catch (RuntimeException e) {
                if (!running) {
                    // Stopping: the wakeup (or interrupt) reached the consumer outside poll(). Not a failure.
                    break;
                }
                // A failed restore, a broker gone for longer than the client waits: start over with a new consumer
                // (and fresh state from rotor.state) rather than leave this replica without partitions.
                crashes.incrementAndGet();
                LOG.errorf(e, "orchestrator member %s failed; rejoining in %s", name, pause);
                forgetAll();
                sleep(pause);
                Duration doubled = pause.multipliedBy(2);
                pause = doubled.compareTo(parts.config().retryBackoffMax()) > 0 ? parts.config().retryBackoffMax()
                        : doubled;
            }
        }
        LOG.infof("orchestrator member %s left the group", name);
    }

    private void runConsumer() {
        Map<String, Object> props = KafkaSettings.consumer(parts.kafka(), parts.config().groupId());
        props.put("client.id", "rotor-orchestrator-" + name);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            partitions = checkPartitions(c);
            c.subscribe(Topics.SAGA, new Rebalance());
            LOG.infof("orchestrator member %s joined group %s", name, parts.config().groupId());
            while (running) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = c.poll(parts.config().pollTimeout());
                } catch (WakeupException e) {
                    continue;
                }
                handleBatch(c, records);
                maybeTick();
            }
        } finally {
            consumer = null;
            forgetAll();
        }
    }

    private CredentialPartitions checkPartitions(KafkaConsumer<String, byte[]> c) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> topics = new ArrayList<>(Topics.SAGA);
        topics.add(Topics.STATE);
        for (String topic : topics) {
            List<PartitionInfo> infos = c.partitionsFor(topic, parts.config().publishTimeout());
            counts.put(topic, infos == null ? 0 : infos.size());
        }
        if (counts.values().stream().distinct().count() != 1 || counts.get(Topics.EVENTS) == 0) {
            throw new IllegalStateException("rotor.requests, rotor.events, every rotor.steps.* topic and rotor.state "
                    + "must exist with the same number of partitions (one credential's records share a partition number); found " + counts);
        }
        return new CredentialPartitions(counts.get(Topics.EVENTS));
    }

    private void handleBatch(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                if (!running) {
                    break;
                }
                if (!handle(r)) {
                    // Not handled: read it again after a pause, everything before it is committed below.
                    c.seek(tp, r.offset());
                    pause();
                    break;
                }
                done.put(tp, new OffsetAndMetadata(r.offset() + 1));
            }
        }
        if (!done.isEmpty()) {
            try {
                c.commitSync(done);
            } catch (CommitFailedException | RebalanceInProgressException e) {
                // The partitions moved on while these records were handled; their new owner reads them again and
                // skips what the persisted state already contains.
                LOG.warnf("member %s could not commit after a rebalance: %s", name, e.getMessage());
            }
        }
    }

    private String platformOf(String key) {
        try {
            return parts.registry().find(CredentialRef.parse(key)).filter(RegisteredCredential::valid)
                    .map(c -> c.spec().platform().value()).orElse("unknown");
        } catch (RuntimeException notARef) {
            return "unknown";
        }
    }

    /** @return whether the record is done with (handled, or refused to the DLQ) */
    private boolean handle(ConsumerRecord<String, byte[]> r) {
        InboundRecord record = inboundRecord(r);
        AtomicReference<Decision> decision = new AtomicReference<>();
        boolean requests = Topics.REQUESTS.equals(r.topic());
        try {
            // A decision that throws is the record's problem: the inbound processor copies it to the DLQ once and
            // this member moves on. Only a RetryLater (or Kafka's trouble) leaves it to be read again.
            parts.inbound().process(record, decoded -> {
                Decision d = decide(decoded, r, requests);
                decision.set(d);
                return CompletableFuture.completedFuture(d.publish());
            }).toCompletableFuture().get(parts.config().publishTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
            Decision d = decision.get();
            if (d != null && d.state() != null) {
                parts.store().write(d.state());
                sagas.put(d.state().credential(), d.state());
            }
            if (d != null && (d.state() != null || !d.news().isEmpty())) {
                // Outcomes this member decided (not records it only forwarded), counted once published and stored.
                parts.metrics().published(d.publish(), d.state() == null ? null : d.state().last(),
                        platformOf(r.key()));
            }
            if (d != null && !d.news().isEmpty()) {
                parts.status().report(d.state() != null ? d.state() : sagas.get(d.news().get(0).credential()),
                        d.news());
            }
            backoff = parts.config().retryBackoffInitial();
            retries.clear();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return failed(record, e);
        }
    }

    private Decision decide(DecodedEvent decoded, ConsumerRecord<String, byte[]> r, boolean requests) {
        CredentialRef ref = decoded.event().credential();
        int partition = partitions.of(ref);
        if (partition != r.partition() && decoded.event() instanceof OperatorConfirmation) {
            throw new IllegalStateException("an operator confirmation for " + ref + " arrived on partition "
                    + r.partition() + ", not the credential's partition " + partition + ", and cannot be forwarded "
                    + "(it carries a plain password): produce it keyed by the credential with the default partitioner");
        }
        if (partition != r.partition() && Topics.isSteps(r.topic())) {
            // A participant keys its steps by credential with the default partitioner; the orchestrator may not
            // write a participant's topic, so there is nowhere to forward it.
            LOG.warnf("%s for %s arrived on partition %d of %s but the credential lives on partition %d; ignored",
                    decoded.type().ceType(), ref, r.partition(), r.topic(), partition);
            return Decision.none();
        }
        if (partition != r.partition()) {
            // Produced with a partitioner other than Kafka's default: the record is in a partition whose owner does
            // not hold this credential's saga. Put it where it belongs (keyed publish) instead of acting on it here.
            LOG.warnf("%s for %s arrived on partition %d but the credential lives on partition %d; forwarding it",
                    decoded.type().ceType(), ref, r.partition(), partition);
            return Decision.publishOnly(List.of(decoded.event()));
        }
        Instant time = decoded.time() != null ? decoded.time() : Instant.ofEpochMilli(r.timestamp());
        Inbound in = new Inbound(decoded, sagas.get(ref), r.topic(), partition, r.offset(), time);
        if (requests) {
            awaitRegistry();
            return parts.requests().decide(in, partition);
        }
        return parts.progress().decide(in, partition);
    }

    /** A request is never answered "unknown" because the ManagedCredentials have not been listed yet. */
    private void awaitRegistry() {
        try {
            if (!parts.registry().awaitSynced(Duration.ofSeconds(2))) {
                throw new RetryLater("the ManagedCredentials have not been listed yet; the request waits");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryLater("interrupted while waiting for the registry");
        }
    }

    private boolean failed(InboundRecord record, Exception e) {
        failures.incrementAndGet();
        retries.failed(record.position(), parts.clock().instant());
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        // Kafka did not acknowledge (or timed out), or the registry is not listed yet: never skip, try again after a
        // pause.
        LOG.warnf("%s: %s; retrying in %s", record.position(), cause.toString(), backoff);
        return false;
    }

    private void pause() {
        sleep(backoff);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(parts.config().retryBackoffMax()) > 0 ? parts.config().retryBackoffMax() : doubled;
    }

    private void sleep(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Deadlines and schedules, from persisted state and the clock; runs between polls on this thread. */
    private void maybeTick() {
        Instant now = parts.clock().instant();
        long nanos = System.nanoTime();
        // Every interval of real time, and at once when the clock jumps past the next tick (tests move the clock).
        if (nanos - lastTickNanos < parts.config().tickInterval().toNanos() && now.isBefore(nextTick)) {
            return;
        }
        lastTickNanos = nanos;
        nextTick = now.plus(parts.config().tickInterval());
        try {
            for (RotationStalled stalled : parts.stalls().overdue(sagas.values(), now)) {
                publishOnce("stall:" + stalled.rotationId() + ":" + stalled.state(), stalled);
            }
            Collection<RegisteredCredential> mine = parts.registry().all().stream()
                    .filter(c -> owns(c.ref())).toList();
            for (RotationRequested request : parts.scheduler().due(mine, sagas::get, now)) {
                LOG.infof("%s is due; requesting a rotation (%s)", request.credential(), request.requestId());
                publishOnce("schedule:" + request.credential() + ":" + request.requestId(), request);
            }
            for (RegisteredCredential c : mine) {
                Optional<Instant> due = parts.scheduler().nextDue(c, sagas.get(c.ref()));
                if (!due.equals(reportedDue.get(c.ref()))) {
                    reportedDue.put(c.ref(), due);
                    parts.status().nextDue(c.ref(), due.orElse(null));
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "checking deadlines and schedules failed; trying again at the next tick");
        }
        ticks.incrementAndGet();
    }

    private void publishOnce(String key, RotorEvent event) {
        if (published.contains(key)) {
            return;
        }
        if (published.size() > 10_000) {
            // Read back long ago; at worst a stall is reported twice.
            published.clear();
        }
        MDC.put("credential", event.credential().asString());
        if (event.rotationId() != null) {
            MDC.put("rotationId", event.rotationId());
        }
        try {
            parts.publisher().publish(event).toCompletableFuture()
                    .get(parts.config().publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
            published.add(key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("publishing %s failed (%s); trying again at the next tick", event.eventType().ceType(),
                    e.getMessage());
        } finally {
            MDC.remove("credential");
            MDC.remove("rotationId");
        }
    }

    private void forgetAll() {
        retries.clear();
        sagas.clear();
        owned.clear();
        published.clear();
        reportedDue.clear();
    }

    private static InboundRecord inboundRecord(ConsumerRecord<String, byte[]> r) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value());
        }
        return new InboundRecord(r.topic(), r.partition(), r.offset(), r.key(), headers, r.value());
    }

    /** Restores on assignment, forgets on revocation; both run inside poll, on the member's thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            forget(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> newlyAssigned) {
            for (TopicPartition tp : newlyAssigned) {
                if (!Topics.EVENTS.equals(tp.topic())) {
                    continue;
                }
                Map<CredentialRef, SagaRecord> restored = parts.store().restore(tp.partition());
                restored.values().stream().filter(s -> s.partition() == tp.partition())
                        .forEach(s -> sagas.put(s.credential(), s));
                owned.add(tp.partition());
                long inFlight = restored.values().stream().filter(s -> s.active() != null).count();
                if (inFlight > 0) {
                    LOG.infof("member %s resumes %d rotation(s) in flight on partition %d", name, inFlight,
                            tp.partition());
                }
            }
            LOG.infof("member %s owns partitions %s", name, owned);
            assigned.countDown();
        }

        private void forget(Collection<TopicPartition> gone) {
            for (TopicPartition tp : gone) {
                if (Topics.EVENTS.equals(tp.topic())) {
                    owned.remove(tp.partition());
                    sagas.values().removeIf(s -> s.partition() == tp.partition());
                }
            }
            published.clear();
            reportedDue.clear();
        }
    }

    /** Handling cannot happen yet for a reason outside the record (the registry not listed): retried, never parked. */
    static final class RetryLater extends HandleLater {
        RetryLater(String message) {
            super(message, null);
        }
    }

}
