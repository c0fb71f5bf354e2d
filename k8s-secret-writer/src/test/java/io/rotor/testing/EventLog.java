package io.rotor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.CloudEventHeaders;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes events as the orchestrator and the other participants would, and reads every Rotor topic: what the service
 * answered on its steps topic, and what it refused to {@code rotor.dlq}.
 */
public final class EventLog implements AutoCloseable {

    private final CloudEventCodec codec = new CloudEventCodec("/test/participant");
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<RotorEvent> seen = new ArrayList<>();
    private final List<ConsumerRecord<String, byte[]>> refused = new ArrayList<>();

    public EventLog(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-log-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(Topics.ALL);
    }

    /** Publishes and waits for the broker's acknowledgement; where the record landed. */
    public RecordMetadata publish(RotorEvent event) {
        try {
            return publishAsync(event).get();
        } catch (Exception ex) {
            throw new IllegalStateException("publishing failed", ex);
        }
    }

    public Future<RecordMetadata> publishAsync(RotorEvent event) {
        EncodedEvent e = codec.encode(event);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(e.topic(), e.key(), e.data());
        e.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return producer.send(record);
    }

    /** Every event seen so far (and arriving within {@code quiet}) that matches. */
    public List<RotorEvent> all(Predicate<RotorEvent> match, Duration quiet) {
        long end = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < end) {
            poll();
        }
        return seen.stream().filter(match).toList();
    }

    /** The first event that matches, waiting up to {@code timeout}. */
    public <T extends RotorEvent> T await(Class<T> type, Predicate<T> match, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (RotorEvent e : seen) {
                if (type.isInstance(e) && match.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            assertThat(System.nanoTime()).as("an event %s within %s; saw %s", type.getSimpleName(), timeout, seen)
                    .isLessThan(end);
            poll();
        }
    }

    /**
     * As the orchestrator starts a rotation: the ManagedCredential stored in the API server, then RotationStarted on
     * rotor.events (at the stored generation, with the spec's digest).
     */
    public RotationStarted startRotation(KubernetesClient client, String rotationId, CredentialRef credential,
            ManagedCredentialSpec spec) {
        long generation = new StartedRotations(client).store(credential, spec);
        RotationStarted started = new RotationStarted(rotationId, credential, "req-" + rotationId, "test", null, spec,
                Map.of(), generation, SpecDigest.of(spec));
        publish(started);
        return started;
    }

    /**
     * The DLQ reasons of the records refused whose body names {@code text}: waits up to {@code timeout} for the first,
     * then a second more for any copy that should not be there.
     */
    public List<String> refusals(String text, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end && refusedNaming(text).isEmpty()) {
            poll();
        }
        long settle = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < settle) {
            poll();
        }
        return refusedNaming(text);
    }

    private List<String> refusedNaming(String text) {
        return refused.stream().filter(r -> r.value() != null
                        && new String(r.value(), StandardCharsets.UTF_8).contains(text))
                .map(r -> r.headers().lastHeader(CloudEventHeaders.DLQ_REASON))
                .map(h -> h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8)).toList();
    }

    private void poll() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (Topics.DLQ.equals(r.topic())) {
                refused.add(r);
                continue;
            }
            Map<String, byte[]> headers = new LinkedHashMap<>();
            r.headers().forEach(h -> headers.put(h.key(), h.value()));
            try {
                seen.add(codec.decode(r.topic(), r.key(), headers, r.value()).event());
            } catch (RuntimeException notOurs) {
                // Other tests put refused records on the topic; they do not matter here.
            }
        }
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
