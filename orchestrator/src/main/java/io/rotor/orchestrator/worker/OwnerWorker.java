package io.rotor.orchestrator.worker;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.Topics;
import io.rotor.kit.messaging.InFlightRecords;
import io.rotor.kit.messaging.InboundRecord;
import io.rotor.kit.messaging.KafkaSettings;
import io.rotor.kit.messaging.RecordRefused;
import io.rotor.kit.retry.Backoff;
import io.rotor.orchestrator.config.OrchestratorConfig;
import io.rotor.orchestrator.saga.SagaRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
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

/**
 * One member of the orchestrator group: it owns the sagas of the credentials whose partitions it is assigned, and is
 * the only replica that acts for them. This class is the loop — lifecycle, poll, commit; each record goes to the
 * {@link OwnerRecordHandler} (which returns only once the answer and the new state are acknowledged), and between polls
 * the {@link OwnerTicker} checks deadlines and schedules. Everything runs on the member's one thread, so a credential's
 * records are handled one at a time and in order.
 *
 * <p>On assignment it restores the saga state of each new partition from {@code rotor.state} before reading a single
 * record of it (the rebalance callback runs on this thread, inside {@code poll}); on revocation it has nothing in
 * flight, because records are handled one by one on this same thread.
 */
public final class OwnerWorker {

    private static final Logger LOG = Logger.getLogger(OwnerWorker.class);

    private final String name;
    private final WorkerParts parts;
    private final OwnedSagas sagas = new OwnedSagas();
    /** Unreadable rotor.state records already reported by this member. */
    private final Set<String> deadLettered = ConcurrentHashMap.newKeySet();
    private final OwnerRecordHandler handler;
    private final OwnerTicker ticker;
    private final RecordMark mark;
    /** Both pauses — before a record is tried again and before rejoining — follow this one policy; attempts unlimited. */
    private final Backoff backoff;
    private final SplittableRandom jitter = new SplittableRandom();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong crashes = new AtomicLong();
    private volatile boolean running;
    private volatile Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile CountDownLatch assigned = new CountDownLatch(1);
    /** Counted down by {@link #stop()}: ends a back-off pause at once. */
    private volatile CountDownLatch stopping = new CountDownLatch(1);
    /** Failed attempts in a row (at one record or the next), and the pause before the next attempt. */
    private int recordFailures;
    private Duration retryPause = Duration.ZERO;

    OwnerWorker(String name, WorkerParts parts) {
        this(name, parts, new InFlightRecords());
    }

    /** @param inFlight where the record being handled is marked; the application's own is watched by liveness */
    OwnerWorker(String name, WorkerParts parts, InFlightRecords inFlight) {
        this.name = name;
        this.parts = parts;
        this.handler = new OwnerRecordHandler(parts, sagas);
        this.ticker = new OwnerTicker(parts, sagas);
        this.mark = new RecordMark(inFlight);
        this.backoff = retryPolicy(parts.config());
    }

    static Backoff retryPolicy(OrchestratorConfig.Worker config) {
        // Kafka or the registry will come back; giving up would only mean skipping a record (never) or leaving the
        // group for good. The jitter keeps replicas that lost the same broker from rejoining in lockstep.
        return new Backoff(config.retryBackoffInitial(), 2.0, config.retryBackoffMax(), Integer.MAX_VALUE, 0.1);
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
        return sagas.partitions();
    }

    /** The saga state of an owned credential. */
    public Optional<SagaRecord> saga(CredentialRef ref) {
        return sagas.get(ref);
    }

    public boolean owns(CredentialRef ref) {
        return sagas.owns(ref);
    }

    /** How many times deadlines and schedules have been checked; tests wait on it instead of sleeping. */
    public long ticks() {
        return ticker.ticks();
    }

    /** Records whose handling failed and is being retried. */
    public long failures() {
        return failures.get();
    }

    /** How often the member had to start over with a new consumer. */
    public long crashes() {
        return crashes.get();
    }

    private void run() {
        int rejoins = 0;
        while (running) {
            try {
                runConsumer();
                rejoins = 0;
            } catch (RuntimeException e) {
                if (!running) {
                    // Stopping: the wakeup (or interrupt) reached the consumer outside poll(). Not a failure.
                    break;
                }
                // A failed restore, a broker gone for longer than the client waits: start over with a new consumer
                // (and fresh state from rotor.state) rather than leave this replica without partitions.
                crashes.incrementAndGet();
                Duration pause = backoff.delayAfter(++rejoins, jitter);
                LOG.errorf(e, "orchestrator member %s failed; rejoining in %s", name, pause);
                forgetAll();
                sleep(pause);
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
            sagas.layout(checkPartitions(c));
            c.subscribe(Topics.SAGA, new Rebalance(c));
            LOG.infof("orchestrator member %s joined group %s", name, parts.config().groupId());
            while (running) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = c.poll(parts.config().pollTimeout());
                } catch (WakeupException e) {
                    continue;
                }
                handlePoll(c, records);
                ticker.maybeTick(System.nanoTime());
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

    /** Handles a poll's records in order per partition, then commits what was done with. */
    private void handlePoll(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                if (!running) {
                    break;
                }
                if (!handle(r)) {
                    // Not handled: read it again after a pause, everything before it is committed below.
                    c.seek(tp, r.offset());
                    sleep(retryPause);
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

    /** @return whether the record is done with (handled, or refused to the DLQ) */
    private boolean handle(ConsumerRecord<String, byte[]> r) {
        InboundRecord record = inboundRecord(r);
        mark.attempt(record.position());
        OwnerRecordHandler.Outcome outcome;
        try {
            outcome = handler.handle(record, r.timestamp());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
        if (outcome.handled()) {
            mark.release();
            recordFailures = 0;
            return true;
        }
        failures.incrementAndGet();
        retryPause = backoff.delayAfter(++recordFailures, jitter);
        // Kafka did not acknowledge (or timed out), or the registry is not listed yet: never skip, try again after a
        // pause.
        LOG.warnf("%s: %s; retrying in %s", record.position(), outcome.retryBecause().toString(), retryPause);
        return false;
    }

    private void sleep(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void forgetAll() {
        mark.release();
        recordFailures = 0;
        sagas.clear();
        ticker.forget();
    }

    private static InboundRecord inboundRecord(ConsumerRecord<String, byte[]> r) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value());
        }
        return new InboundRecord(r.topic(), r.partition(), r.offset(), r.key(), headers, r.value());
    }

    /**
     * Says once, loudly, that a credential waits for an operator because its saga state cannot be read, and copies
     * the record to {@code rotor.dlq} (once per member: a restart says it again). Runs in the rebalance callback, so
     * it does not wait for the DLQ's acknowledgement.
     */
    private void setAside(UnreadableState u) {
        if (!deadLettered.add(u.where())) {
            return;
        }
        if (u.credential() == null) {
            LOG.errorf("rotor.state record at %s cannot be read (%s); it names no credential and is skipped",
                    u.where(), u.reason());
        } else {
            LOG.errorf("%s", u.message());
        }
        parts.publisher().deadLetter(u.record(), RecordRefused.Reason.STATE_UNREADABLE.name(), u.reason())
                .exceptionally(e -> {
                    LOG.warnf("could not copy the unreadable state at %s to rotor.dlq: %s", u.where(), e.getMessage());
                    return null;
                });
    }

    /** Restores on assignment, forgets on revocation; both run inside poll, on the member's thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, byte[]> consumer;

        Rebalance(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

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
                RestoredPartition restored = parts.store().restore(tp.partition());
                long inFlight = sagas.adopt(tp.partition(), restored);
                restored.unreadable().forEach(OwnerWorker.this::setAside);
                if (inFlight > 0) {
                    LOG.infof("member %s resumes %d rotation(s) in flight on partition %d", name, inFlight,
                            tp.partition());
                }
            }
            mark.keepIfOwned(consumer.assignment().stream().map(TopicPartition::toString).collect(Collectors.toSet()));
            LOG.infof("member %s owns partitions %s", name, sagas.partitions());
            assigned.countDown();
        }

        private void forget(Collection<TopicPartition> gone) {
            for (TopicPartition tp : gone) {
                if (Topics.EVENTS.equals(tp.topic())) {
                    sagas.forget(tp.partition());
                }
            }
            ticker.forget();
        }
    }
}
