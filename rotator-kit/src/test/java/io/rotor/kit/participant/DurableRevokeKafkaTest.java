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
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.saga.Step;
import io.rotor.kit.timer.ManualTimers;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Through a real broker and SmallRye's Kafka connector: a revoke waiting for its propagation delay is not
 * acknowledged, yet the consumer goes on with later records of the same partition; the throttled commit strategy
 * commits only up to the waiting record, so a crash would redeliver it; once the clock reaches its moment the revoke
 * runs, is answered, and the committed offset moves past everything.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class DurableRevokeKafkaTest {

    private static final String GROUP = "kit-test-participant-events";
    private static final TopicPartition PARTITION = new TopicPartition(StepProducer.POD_RESTARTER.topic(), 0);

    @KafkaBootstrapServers
    String bootstrapServers;

    @Inject
    ManualTimers timers;

    @Inject
    InMemoryPlatform platform;

    private CloudEventCodec codec;

    @Test
    void aWaitingRevokeHoldsBackOnlyItsOwnOffsetAndLaterRecordsAreHandledMeanwhile() throws Exception {
        // The restarter's clock is the rotator's: ce_time is when the workloads were seen restarted.
        codec = new CloudEventCodec("/test/restarter", timers.clock(), () -> UUID.randomUUID().toString());
        String run = UUID.randomUUID().toString().substring(0, 8);
        CredentialRef waiting = applied("waiting-" + run, "old-a", "new-a");
        CredentialRef quick = applied("quick-" + run, "old-b", "new-b");
        ManagedCredentialSpec fiveMinutes = Fixtures.spec(waiting.name(), "s", Strategy.DUAL_PASSWORD,
                Duration.ofMinutes(5));
        ManagedCredentialSpec noDelay = Fixtures.spec(quick.name(), "s", Strategy.DUAL_PASSWORD, Duration.ZERO);

        // The orchestrator's starts, without which the rotator acts for neither rotation.
        send(started("rw" + run, waiting, fiveMinutes));
        send(started("rq" + run, quick, noDelay));
        long waitingOffset = send(Fixtures.stepCompleted(Step.WORKLOADS_RESTARTED, "rw" + run, waiting, fiveMinutes,
                "new-a", "old-a"));
        long quickOffset = send(Fixtures.stepCompleted(Step.WORKLOADS_RESTARTED, "rq" + run, quick, noDelay,
                "new-b", "old-b"));

        try (KafkaConsumer<String, byte[]> events = consumer()) {
            StepCompleted quickRevoked = awaitRevoked(events, quick);
            assertThat(quickRevoked.rotationId()).isEqualTo("rq" + run);
            assertThat(platform.accepts(quick.name(), "old-b")).isFalse();
            assertThat(platform.accepts(waiting.name(), "old-a")).isTrue();

            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> committed() <= waitingOffset);

            timers.advance(Duration.ofMinutes(5));

            StepCompleted waitingRevoked = awaitRevoked(events, waiting);
            assertThat(waitingRevoked.rotationId()).isEqualTo("rw" + run);
            assertThat(platform.accepts(waiting.name(), "old-a")).isFalse();
            await().atMost(Duration.ofSeconds(20)).until(() -> committed() > quickOffset);
        }
    }

    private static RotationStarted started(String rotationId, CredentialRef ref, ManagedCredentialSpec spec) {
        return new RotationStarted(rotationId, ref, "req-" + rotationId, "test", null, spec, Map.of(), 1,
                SpecDigest.of(spec));
    }

    /** A credential after its apply: old and new both valid. */
    private CredentialRef applied(String name, String oldPassword, String newPassword) {
        platform.user(name, oldPassword, newPassword);
        return CredentialRef.parse("kit/" + name);
    }

    /** Sends to partition 0, whatever the key, so that both records share one partition. */
    private long send(RotorEvent event) throws Exception {
        EncodedEvent e = codec.encode(event);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(e.topic(), 0, e.key(), e.data());
            e.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            return producer.send(record).get().offset();
        }
    }

    private StepCompleted awaitRevoked(KafkaConsumer<String, byte[]> events, CredentialRef credential) {
        List<StepCompleted> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(200))) {
                if (credential.asString().equals(r.key())) {
                    Map<String, byte[]> headers = new java.util.LinkedHashMap<>();
                    r.headers().forEach(h -> headers.put(h.key(), h.value()));
                    RotorEvent event = codec.decode(r.topic(), r.key(), headers, r.value()).event();
                    if (event instanceof StepCompleted done && done.step() == Step.OLD_REVOKED) {
                        found.add(done);
                    }
                }
            }
            return !found.isEmpty();
        });
        return found.get(0);
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "observer-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(StepProducer.REDIS.topic()));
        return consumer;
    }

    private long committed() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                    .get(PARTITION);
            return offset == null ? -1 : offset.offset();
        }
    }
}
