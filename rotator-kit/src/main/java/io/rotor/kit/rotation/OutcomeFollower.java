package io.rotor.kit.rotation;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.envelope.RejectedRecord;
import io.rotor.contracts.event.Topics;
import io.rotor.kit.messaging.KafkaSettings;
import io.rotor.kit.messaging.RecordRefused;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Follows {@code rotor.events} — written by the orchestrator alone — from its beginning, on a thread of its own and
 * without a consumer group, folding the outcomes into the {@link OpenRotations}. That log is the durable record of
 * which rotation of a credential is in flight; nothing else a participant reads can say so.
 *
 * <p>Every question waits until this follower has read everything written before it was asked — the end offsets at
 * that moment — and only then answers: a rotation not open yet may simply not have been read yet (its start is always
 * written before its command), and one still open may have ended a moment ago (a replay right after the end).
 */
public final class OutcomeFollower implements RotationAuthority, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutcomeFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Map<String, Object> kafka;
    private final CloudEventCodec codec;
    private final Duration catchUpTimeout;
    private final Clock clock;
    private final OpenRotations open = new OpenRotations();
    private final ConcurrentLinkedQueue<Waiter> arriving = new ConcurrentLinkedQueue<>();
    private final List<Waiter> waiting = new ArrayList<>();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running;
    private volatile Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;

    public OutcomeFollower(Map<String, Object> kafka, CloudEventCodec codec, Duration catchUpTimeout, Clock clock) {
        this.kafka = kafka;
        this.codec = codec;
        this.catchUpTimeout = catchUpTimeout;
        this.clock = clock;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "rotor-outcome-follower");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failAll(new OutcomesBehind("the service is stopping"));
    }

    @Override
    public CompletionStage<OpenRotation> current(CredentialRef credential, String rotationId) {
        // Never answered from what happens to be read already: a replay that arrives just after its rotation ended
        // would find it still open. Every answer waits until the log is read up to where it stood when the question
        // was taken up (one poll interval at most when the follower keeps up; questions arriving together share it).
        Waiter waiter = new Waiter(credential, rotationId, new CompletableFuture<>(),
                clock.instant().plus(catchUpTimeout));
        arriving.add(waiter);
        return waiter.answer;
    }

    /** Whether the follower runs and has read the log up to where it stood at start-up. */
    public boolean ready() {
        return running && thread != null && thread.isAlive() && caughtUp.getCount() == 0;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int openRotations() {
        return open.size();
    }

    /** Records read, and records skipped because they did not decode (the orchestrator's DLQ copy names them). */
    public long recordsRead() {
        return read.get();
    }

    public long recordsSkipped() {
        return skipped.get();
    }

    private void run() {
        Duration pause = Duration.ofMillis(500);
        while (running) {
            try {
                follow();
            } catch (RuntimeException e) {
                if (!running) {
                    // A stop's wakeup reached a call other than poll.
                    break;
                }
                LOG.errorf(e, "following rotor.events failed; starting over in %s", pause);
                sleep(pause);
                pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                        : pause.multipliedBy(2);
            }
        }
    }

    private void follow() {
        Map<String, Object> props = KafkaSettings.consumer(kafka, null);
        props.put("client.id", "rotor-outcome-follower");
        props.put("max.poll.records", 2000);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = new ArrayList<>();
            List<PartitionInfo> infos = c.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + Topics.EVENTS + " does not exist");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            c.assign(partitions);
            // Every rotation's whole life is in the log, so a fresh fold from the start is always right; what was
            // folded before a restart of this loop is folded again, idempotently.
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> startEnd = c.endOffsets(partitions, Duration.ofSeconds(30));
            while (running) {
                List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
                try {
                    c.poll(POLL).forEach(records::add);
                } catch (WakeupException e) {
                    // The service is stopping.
                    break;
                }
                records.forEach(this::fold);
                if (caughtUp.getCount() > 0 && reached(c, startEnd)) {
                    LOG.infof("read rotor.events to where it stood at start-up: %d record(s), %d rotation(s) in "
                            + "flight", read.get(), open.size());
                    caughtUp.countDown();
                }
                answer(c, partitions);
            }
        } finally {
            consumer = null;
        }
    }

    private void fold(ConsumerRecord<String, byte[]> r) {
        read.incrementAndGet();
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value());
        }
        try {
            DecodedEvent decoded = codec.decode(r.topic(), r.key(), headers, r.value());
            open.apply(decoded.event(), decoded.time() != null ? decoded.time() : Instant.ofEpochMilli(r.timestamp()));
        } catch (RejectedRecord e) {
            skipped.incrementAndGet();
            LOG.debugf("skipped %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.reason());
        } catch (RuntimeException e) {
            skipped.incrementAndGet();
            LOG.warnf("skipped %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getClass().getSimpleName());
        }
    }

    private void answer(KafkaConsumer<String, byte[]> c, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = null;
        for (Waiter w; (w = arriving.poll()) != null;) {
            if (end == null) {
                end = c.endOffsets(partitions, Duration.ofSeconds(10));
            }
            waiting.add(w.until(end));
        }
        Instant now = clock.instant();
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (reached(c, w.target)) {
                Optional<OpenRotation> found = open.find(w.credential, w.rotationId);
                if (found.isPresent()) {
                    w.answer.complete(found.get());
                    it.remove();
                    continue;
                }
                w.answer.completeExceptionally(new RecordRefused(RecordRefused.Reason.NOT_CURRENT, "rotation "
                        + w.rotationId + " is not in flight for " + w.credential + ": the orchestrator never "
                        + "started it, or it has ended; a record of it changes nothing"));
                it.remove();
            } else if (now.isAfter(w.deadline)) {
                w.answer.completeExceptionally(new OutcomesBehind("rotor.events could not be read far enough in "
                        + catchUpTimeout + " to tell whether rotation " + w.rotationId + " of " + w.credential
                        + " is in flight"));
                it.remove();
            }
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> target) {
        for (Map.Entry<TopicPartition, Long> e : target.entrySet()) {
            if (c.position(e.getKey(), Duration.ofSeconds(10)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** After the thread ended: nobody answers the questions still open. */
    private void failAll(RuntimeException error) {
        for (Waiter w; (w = arriving.poll()) != null;) {
            w.answer.completeExceptionally(error);
        }
        if (thread == null || !thread.isAlive()) {
            waiting.forEach(w -> w.answer.completeExceptionally(error));
            waiting.clear();
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private record Waiter(CredentialRef credential, String rotationId, CompletableFuture<OpenRotation> answer,
            Instant deadline, Map<TopicPartition, Long> target) {

        Waiter(CredentialRef credential, String rotationId, CompletableFuture<OpenRotation> answer, Instant deadline) {
            this(credential, rotationId, answer, deadline, Map.of());
        }

        Waiter until(Map<TopicPartition, Long> end) {
            return new Waiter(credential, rotationId, answer, deadline, new HashMap<>(end));
        }
    }
}
