package io.rotor.kit.participant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.CloudEventHeaders;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.event.Topics;
import io.rotor.contracts.saga.Step;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
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
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated bad records through a real broker into a participant, on every topic it reads (its commands,
 * the pod restarter's steps, the orchestrator's outcomes): random bytes, JSON that is not an object, truncated and
 * deeply nested bodies, fields of the wrong type, unknown CloudEvent types, events on a topic their producer may not
 * write, and well-formed commands for rotations nobody started. None may stop the line: liveness stays UP, every bad
 * command is copied to the DLQ exactly once, the platform is never touched, and a real rotation afterwards is answered.
 * The seed is printed, so a failure can be replayed with {@code -Drotor.fuzz.seed}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class PoisonRecordFuzzTest {

    /** Per instance: the test instance is made once Quarkus' log manager is in place, a static logger is not. */
    private final Logger log = Logger.getLogger(PoisonRecordFuzzTest.class);

    private static final int RECORDS = Integer.getInteger("rotor.fuzz.records", 3000);
    private static final String COMMANDS = Topics.commandsFor(io.rotor.contracts.credential.Platform.REDIS_ACL);

    @KafkaBootstrapServers
    String bootstrapServers;

    @Inject
    InMemoryPlatform platform;

    @Inject
    InMemorySecrets secrets;

    @Inject
    SmallRyeHealthReporter health;

    private final CloudEventCodec codec = new CloudEventCodec("/test/fuzz");

    @Test
    void noGeneratedRecordStopsTheLineOrTouchesThePlatform() throws Exception {
        long seed = Long.getLong("rotor.fuzz.seed", System.nanoTime());
        log.infof("PoisonRecordFuzzTest: %d records, seed %d", RECORDS, seed);
        Random random = new Random(seed);
        String run = UUID.randomUUID().toString().substring(0, 8);
        int changesBefore = platform.changes.get();
        int commandsPoison = 0;
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                String topic = switch (random.nextInt(4)) {
                    case 0, 1 -> COMMANDS;
                    case 2 -> StepProducer.POD_RESTARTER.topic();
                    default -> Topics.EVENTS;
                };
                if (topic.equals(COMMANDS)) {
                    commandsPoison++;
                }
                sent.add(producer.send(poison(random, topic, run + "-" + i)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        }
        log.infof("PoisonRecordFuzzTest: sent in %d ms (%d on %s)",
                (System.nanoTime() - started) / 1_000_000, commandsPoison, COMMANDS);

        // A real rotation after all of it: started by the orchestrator, commanded, answered.
        CredentialRef ref = CredentialRef.parse("kit/fuzz-" + run);
        ManagedCredentialSpec spec = Fixtures.spec(ref.name(), "fuzz-" + run, Strategy.DUAL_PASSWORD, Duration.ZERO);
        platform.user(ref.name(), "old-" + run);
        secrets.put("kit", "fuzz-" + run, Map.of("password", "old-" + run));
        String rotationId = "fuzz-rotation-" + run;
        send(new RotationStarted(rotationId, ref, "req-" + run, "test", null, spec, Map.of(), 1, SpecDigest.of(spec)));
        send(Fixtures.command(rotationId, ref, spec, "new-" + run));

        try (KafkaConsumer<String, byte[]> steps = consumer(StepProducer.REDIS.topic())) {
            await().atMost(Duration.ofSeconds(90)).until(() -> answered(steps, rotationId));
        }
        log.infof("PoisonRecordFuzzTest: the real rotation was answered %d ms after the first bad record",
                (System.nanoTime() - started) / 1_000_000);
        assertThat(health.getLiveness().getStatus()).as("liveness after %d bad records", RECORDS)
                .hasToString("UP");
        assertThat(platform.changes.get() - changesBefore).as("platform changes: the real rotation's only")
                .isEqualTo(1);
        int copies = commandsPoison;
        try (KafkaConsumer<String, byte[]> dlq = consumer(Topics.DLQ)) {
            Map<String, Integer> fromCommands = new HashMap<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    var topic = r.headers().lastHeader(CloudEventHeaders.DLQ_TOPIC);
                    var marker = r.headers().lastHeader("fuzz-id");
                    if (topic != null && marker != null && COMMANDS.equals(new String(topic.value(),
                            StandardCharsets.UTF_8))) {
                        fromCommands.merge(new String(marker.value(), StandardCharsets.UTF_8), 1, Integer::sum);
                    }
                }
                return fromCommands.size() >= copies;
            });
            assertThat(fromCommands).as("each bad command copied to the DLQ once").hasSize(copies)
                    .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        }
    }

    /** One bad record; the header {@code fuzz-id} lets the DLQ copies be counted (the DLQ keeps headers). */
    private ProducerRecord<String, byte[]> poison(Random random, String topic, String id) {
        CredentialRef ref = CredentialRef.parse("kit/victim-" + random.nextInt(5));
        ManagedCredentialSpec spec = Fixtures.spec(ref.name(), ref.name(), Strategy.DUAL_PASSWORD, Duration.ZERO);
        RotorEvent valid = switch (random.nextInt(4)) {
            case 0 -> Fixtures.command("never-started-" + id, ref, spec, "attacker-" + id);
            case 1 -> Fixtures.stepCompleted(Step.WORKLOADS_RESTARTED, "never-started-" + id, ref, spec, "n", "o");
            case 2 -> Fixtures.stepCompleted(Step.OLD_REVOKED, "never-started-" + id, ref, spec, "n", "o");
            default -> new RotationCompleted("never-started-" + id, ref, Map.of(), Duration.ZERO);
        };
        EncodedEvent e = codec.encode(valid);
        Map<String, String> headers = new HashMap<>(e.headers());
        byte[] body = e.data();
        switch (random.nextInt(12)) {
            case 0 -> body = randomBytes(random, random.nextInt(2048));
            case 1 -> body = pick(random, "null", "[]", "\"x\"", "0", "true", "{}", "").getBytes(StandardCharsets.UTF_8);
            case 2 -> body = java.util.Arrays.copyOf(body, random.nextInt(Math.max(1, body.length)));
            case 3 -> body = ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
            case 4 -> body = new String(body, StandardCharsets.UTF_8).replaceFirst("\"rotationId\":\"[^\"]*\"",
                    "\"rotationId\":" + "9".repeat(200)).getBytes(StandardCharsets.UTF_8);
            case 5 -> body = new String(body, StandardCharsets.UTF_8).replaceFirst("\\{", "{\"unexpected\":1,")
                    .getBytes(StandardCharsets.UTF_8);
            case 6 -> headers.put(CloudEventHeaders.TYPE, pick(random, "io.rotor.nope.v1", "", "x".repeat(300)));
            case 7 -> headers.remove(pick(random, CloudEventHeaders.TYPE, CloudEventHeaders.ID,
                    CloudEventHeaders.SOURCE));
            case 8 -> body = new String(body, StandardCharsets.UTF_8).replace("\"spec\":{", "\"spec\":[{")
                    .getBytes(StandardCharsets.UTF_8);
            case 9 -> body = null;
            default -> {
                // Well-formed: for a rotation nobody started, and often on a topic its producer may not write.
            }
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, random.nextInt(10) == 0 ? null : e.key(),
                body);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        record.headers().add("fuzz-id", id.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }

    private boolean answered(KafkaConsumer<String, byte[]> steps, String rotationId) {
        for (ConsumerRecord<String, byte[]> r : steps.poll(Duration.ofMillis(200))) {
            Map<String, byte[]> headers = new HashMap<>();
            r.headers().forEach(h -> headers.put(h.key(), h.value()));
            try {
                RotorEvent event = codec.decode(r.topic(), r.key(), headers, r.value()).event();
                if (event instanceof StepCompleted done && done.rotationId().equals(rotationId)
                        && done.step() == Step.PLATFORM_UPDATED) {
                    return true;
                }
            } catch (RuntimeException ignored) {
                // Not ours.
            }
        }
        return false;
    }

    private void send(RotorEvent event) throws Exception {
        EncodedEvent e = codec.encode(event);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(e.topic(), e.key(), e.data());
            e.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<String, byte[]> consumer(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "fuzz-observer-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
