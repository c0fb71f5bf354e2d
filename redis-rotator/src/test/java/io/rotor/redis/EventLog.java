package io.rotor.redis;

import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.CloudEventHeaders;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepEvent;
import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.event.Topics;
import io.rotor.contracts.saga.Step;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * Publishes Rotor events as the orchestrator and the other participants would (each lands on the topic its type and
 * content name), and reads what the Redis rotator writes: its steps on {@code rotor.steps.redis}, and the records it
 * refused on {@code rotor.dlq}.
 */
public final class EventLog implements AutoCloseable {

    /** A record on {@code rotor.dlq}: its key and headers (the refused record's own, plus the DLQ's). */
    public record DeadLetter(String key, Map<String, String> headers) {

        public String reason() {
            return headers.get(CloudEventHeaders.DLQ_REASON);
        }

        public String detail() {
            return headers.get(CloudEventHeaders.DLQ_DETAIL);
        }

        public String rotationId() {
            return headers.get(CloudEventHeaders.ROTATION_ID);
        }
    }

    private final CloudEventCodec codec;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<DecodedEvent> seen = new CopyOnWriteArrayList<>();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

    public EventLog(String bootstrapServers, CloudEventCodec codec) {
        this.codec = codec;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-observer-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(StepProducer.REDIS.topic(), Topics.DLQ));
    }

    public void publish(RotorEvent event) {
        publish(codec.encode(event));
    }

    /** Publishes a record as it is, bytes and headers, however it was made. */
    public void publish(EncodedEvent e) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(e.topic(), e.key(), e.data());
        e.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get();
        } catch (Exception ex) {
            throw new IllegalStateException("could not publish " + e, ex);
        }
    }

    /** Waits for the first step event of the rotation at this step (completed or failed, as the type asks). */
    public <T extends StepEvent> T await(String rotationId, Step step, Class<T> type, Duration timeout) {
        List<T> found = new ArrayList<>();
        Awaitility.await().atMost(timeout).until(() -> {
            poll();
            find(rotationId, step, type).ifPresent(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    /** Every step event of the rotation at this step seen so far (after one more poll). */
    public <T extends StepEvent> List<DecodedEvent> all(String rotationId, Step step, Class<T> type) {
        poll();
        return seen.stream().filter(d -> type.isInstance(d.event()) && rotationId.equals(d.event().rotationId())
                && ((StepEvent) d.event()).step() == step).toList();
    }

    /** Waits for the rotator's DLQ copy of a record of this rotation. */
    public DeadLetter awaitDeadLetter(String rotationId, Duration timeout) {
        List<DeadLetter> found = new ArrayList<>();
        Awaitility.await().atMost(timeout).until(() -> {
            poll();
            deadLetters.stream().filter(d -> rotationId.equals(d.rotationId())).findFirst().ifPresent(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    /** Every step event of the rotation seen so far, of any step (after one more poll). */
    public List<StepEvent> steps(String rotationId) {
        poll();
        return seen.stream().map(DecodedEvent::event).filter(StepEvent.class::isInstance).map(StepEvent.class::cast)
                .filter(e -> rotationId.equals(e.rotationId())).toList();
    }

    private <T extends StepEvent> Optional<T> find(String rotationId, Step step, Class<T> type) {
        return seen.stream().map(DecodedEvent::event).filter(type::isInstance).map(type::cast)
                .filter(e -> rotationId.equals(e.rotationId()) && e.step() == step).findFirst();
    }

    private synchronized void poll() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            Map<String, byte[]> headers = new LinkedHashMap<>();
            r.headers().forEach(h -> headers.put(h.key(), h.value()));
            if (Topics.DLQ.equals(r.topic())) {
                Map<String, String> text = new LinkedHashMap<>();
                headers.forEach((k, v) -> text.put(k, new String(v, StandardCharsets.UTF_8)));
                deadLetters.add(new DeadLetter(r.key(), text));
                continue;
            }
            try {
                seen.add(codec.decode(r.topic(), r.key(), headers, r.value()));
            } catch (RuntimeException notOurs) {
                // Other tests' records, refused ones included: not what this log looks for.
            }
        }
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
