package io.rotor.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.event.ConflictPolicy;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.Topics;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Through a real broker: a mix of good and bad records on the requests topic; every good one is answered on
 * rotor.events, every bad one lands in rotor.dlq with its reason, and the consumer keeps going.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class KafkaRoundTripTest {

    @KafkaBootstrapServers
    String bootstrapServers;

    private final CloudEventCodec codec = new CloudEventCodec("/test/producer");

    @Test
    void goodRecordsAreAnsweredAndBadOnesGoToTheDlqWithoutStoppingTheConsumer() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> goodIds = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < 6; i++) {
                String id = run + "-good-" + i;
                goodIds.add(id);
                EncodedEvent e = codec.encode(new RotationRequested(id, CredentialRef.parse("ns-" + i + "/cred"),
                        "test", false, "user:test", ConflictPolicy.COALESCE));
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(e.topic(), e.key(), e.data());
                e.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                producer.send(record).get();
                // A bad record after each good one: the consumer must step over it every time.
                ProducerRecord<String, byte[]> bad = new ProducerRecord<>(Topics.REQUESTS, "ns-" + i + "/cred",
                        ("{not json " + run).getBytes(StandardCharsets.UTF_8));
                bad.headers().add(new RecordHeader("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8)));
                producer.send(bad).get();
            }
            // Poison of two more kinds: data that decodes to nothing, and a valid record the handler fails on.
            EncodedEvent template = codec.encode(new RotationRequested(run + "-null", CredentialRef.parse("ns-p/cred"),
                    "test", false, "user:test", ConflictPolicy.COALESCE));
            ProducerRecord<String, byte[]> nothing = new ProducerRecord<>(template.topic(), template.key(),
                    "null".getBytes(StandardCharsets.UTF_8));
            template.headers().forEach((k, v) -> nothing.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            nothing.headers().add(new RecordHeader("x-run", run.getBytes(StandardCharsets.UTF_8)));
            producer.send(nothing).get();
            EncodedEvent boom = codec.encode(new RotationRequested(run + "-boom", CredentialRef.parse("ns-p/cred"),
                    "test", false, "user:test", ConflictPolicy.COALESCE));
            ProducerRecord<String, byte[]> failing = new ProducerRecord<>(boom.topic(), boom.key(), boom.data());
            boom.headers().forEach((k, v) -> failing.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(failing).get();
            // And a good one after them, on the same partition: the consumer is still moving.
            EncodedEvent after = codec.encode(new RotationRequested(run + "-after", CredentialRef.parse("ns-p/cred"),
                    "test", false, "user:test", ConflictPolicy.COALESCE));
            goodIds.add(run + "-after");
            ProducerRecord<String, byte[]> last = new ProducerRecord<>(after.topic(), after.key(), after.data());
            after.headers().forEach((k, v) -> last.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(last).get();
        }

        Map<String, ConsumerRecord<String, byte[]>> answers = drain(Topics.EVENTS, 7,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(run));
        List<ConsumerRecord<String, byte[]>> allDead = drain(Topics.DLQ, 8,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(run) || run.equals(header(r, "x-run")))
                .values().stream().toList();
        List<ConsumerRecord<String, byte[]>> dead = allDead.stream()
                .filter(r -> "NOT_A_CLOUDEVENT".equals(header(r, "rotor-dlq-reason"))).toList();

        assertThat(allDead).extracting(r -> header(r, "rotor-dlq-reason")).containsOnlyOnce("INVALID_FIELDS",
                "HANDLER_FAILED");
        assertThat(allDead).allSatisfy(r -> assertThat(header(r, "rotor-dlq-service")).isEqualTo("kit-test"));

        assertThat(answers.values()).allSatisfy(r -> {
            RotationRejected rejected = (RotationRejected) codec.decode(r.topic(), r.key(), headers(r), r.value()).event();
            assertThat(goodIds).contains(rejected.requestId());
            assertThat(r.key()).isEqualTo(rejected.credential().asString());
        });
        assertThat(dead).hasSize(6).allSatisfy(r -> {
            assertThat(header(r, "rotor-dlq-reason")).isEqualTo("NOT_A_CLOUDEVENT");
            assertThat(header(r, "rotor-dlq-topic")).isEqualTo(Topics.REQUESTS);
            assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
        });
    }

    private Map<String, ConsumerRecord<String, byte[]>> drain(String topic, int expected,
            Predicate<ConsumerRecord<String, byte[]>> match) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "drain-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, ConsumerRecord<String, byte[]>> found = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (match.test(r)) {
                        found.put(r.topic() + r.partition() + "@" + r.offset(), r);
                    }
                }
            }
        }
        assertThat(found).as("records on %s", topic).hasSize(expected);
        return found;
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static Map<String, byte[]> headers(ConsumerRecord<String, byte[]> r) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        r.headers().forEach(x -> h.put(x.key(), x.value()));
        return h;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
