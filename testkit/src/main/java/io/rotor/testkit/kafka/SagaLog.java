package io.rotor.testkit.kafka;

import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.CloudEventHeaders;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.envelope.RejectedRecord;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.event.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes as the orchestrator and the other participants would (each record on the topic its type and content
 * name: starts and outcomes on {@code rotor.events}, commands on {@code rotor.commands.<rotator>}, the pod restarter's
 * steps on {@code rotor.steps.pod-restarter}), and reads, from the beginning and on a thread of its own, what the
 * rotator writes: its steps on {@code rotor.steps.<rotator>} and the records it refused on {@code rotor.dlq}.
 */
public final class SagaLog implements AutoCloseable {

    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

    /** A record on {@code rotor.dlq}: its key and headers (the refused record's own, plus the DLQ's). */
    public record DeadLetter(String key, Map<String, String> headers) {

        public String reason() {
            return headers.get(CloudEventHeaders.DLQ_REASON);
        }

        public String detail() {
            return headers.get(CloudEventHeaders.DLQ_DETAIL);
        }

        public String service() {
            return headers.get(CloudEventHeaders.DLQ_SERVICE);
        }

        public String rotationId() {
            return headers.get(CloudEventHeaders.ROTATION_ID);
        }

        public String type() {
            return headers.get(CloudEventHeaders.TYPE);
        }
    }

    private final CloudEventCodec codec = new CloudEventCodec("/test/saga");
    private final StepProducer rotator;
    private final KafkaProducer<String, byte[]> producer;
    private final List<RotorEvent> steps = new CopyOnWriteArrayList<>();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    public SagaLog(String bootstrap, StepProducer rotator) {
        this.rotator = rotator;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        reader = new Thread(() -> read(bootstrap), "saga-log");
        reader.setDaemon(true);
        reader.start();
    }

    public void publish(RotorEvent event) {
        EncodedEvent e = codec.encode(event);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(e.topic(), e.key(), e.data());
        e.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get();
        } catch (Exception ex) {
            throw new IllegalStateException("could not publish " + event.getClass().getSimpleName(), ex);
        }
    }

    /** The first step of the rotator's of this type that matches, waiting up to a minute. */
    public <T extends RotorEvent> T await(Class<T> type, Predicate<T> match) {
        return await(type, match, DEFAULT_WAIT);
    }

    public <T extends RotorEvent> T await(Class<T> type, Predicate<T> match, Duration timeout) {
        return waitFor(() -> steps.stream().filter(type::isInstance).map(type::cast).filter(match).findFirst(),
                timeout, "no matching " + type.getSimpleName() + " on " + rotator.topic());
    }

    /** The rotator's DLQ copy of a record of this rotation, waiting up to a minute. */
    public DeadLetter awaitDeadLetter(String rotationId) {
        return waitFor(() -> deadLetters.stream().filter(d -> rotationId.equals(d.rotationId())).findFirst(),
                DEFAULT_WAIT, "no record of rotation " + rotationId + " on " + Topics.DLQ);
    }

    /** Every step of the rotator's read so far. */
    public List<RotorEvent> all() {
        return List.copyOf(steps);
    }

    /** Every DLQ record read so far. */
    public List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    private <T> T waitFor(Supplier<Optional<T>> find, Duration timeout, String failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> found = find.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure + " within " + timeout + "; steps seen: " + steps.stream()
                        .map(e -> e.getClass().getSimpleName()).toList() + ", DLQ records: " + deadLetters.size());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private void read(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(rotator.topic(), Topics.DLQ)) {
                consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!closed) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    Map<String, byte[]> headers = new LinkedHashMap<>();
                    for (Header h : r.headers()) {
                        headers.put(h.key(), h.value());
                    }
                    if (Topics.DLQ.equals(r.topic())) {
                        Map<String, String> text = new LinkedHashMap<>();
                        headers.forEach((k, v) -> text.put(k, new String(v, StandardCharsets.UTF_8)));
                        deadLetters.add(new DeadLetter(r.key(), text));
                        continue;
                    }
                    try {
                        steps.add(codec.decode(r.topic(), r.key(), headers, r.value()).event());
                    } catch (RejectedRecord ignored) {
                        // not ours to judge here
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        producer.close();
    }
}
