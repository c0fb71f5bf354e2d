package io.rotor.testkit.kafka;

import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.envelope.RejectedRecord;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
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
 * Publishes as the orchestrator or the other participants would, and reads {@code rotor.events} from the beginning on
 * a thread of its own, for participant tests that drive a service through a real broker.
 */
public final class EventLog implements AutoCloseable {

    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

    private final CloudEventCodec codec = new CloudEventCodec("/test/saga");
    private final KafkaProducer<String, byte[]> producer;
    private final List<RotorEvent> events = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    public EventLog(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        reader = new Thread(() -> read(bootstrap), "event-log");
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

    /** The first event of this type that matches, waiting up to a minute. */
    public <T extends RotorEvent> T await(Class<T> type, Predicate<T> match) {
        return await(type, match, DEFAULT_WAIT);
    }

    public <T extends RotorEvent> T await(Class<T> type, Predicate<T> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> found = events.stream().filter(type::isInstance).map(type::cast).filter(match).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching " + type.getSimpleName() + " on " + Topics.EVENTS + " within "
                        + timeout + "; seen: " + events.stream().map(e -> e.getClass().getSimpleName()).toList());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + type.getSimpleName(), e);
            }
        }
    }

    /** Every event read so far. */
    public List<RotorEvent> all() {
        return List.copyOf(events);
    }

    private void read(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!closed) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    Map<String, byte[]> headers = new LinkedHashMap<>();
                    for (Header h : r.headers()) {
                        headers.put(h.key(), h.value());
                    }
                    try {
                        events.add(codec.decode(r.topic(), r.key(), headers, r.value()).event());
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
