package io.rotor.kit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.event.RotationCancelled;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.Topics;
import io.rotor.kit.messaging.RecordRefused;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.WithKafka;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The participants' authority against a real broker: what the orchestrator's outcomes say, and nothing else. */
@WithKafka
class OutcomeFollowerTest {

    @KafkaBootstrapServers
    String bootstrapServers;

    private final CloudEventCodec codec = new CloudEventCodec("/rotor/orchestrator");
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private OutcomeFollower follower;

    @AfterEach
    void stop() {
        if (follower != null) {
            follower.close();
        }
    }

    @Test
    void aRotationIsCurrentFromItsStartUntilItEndsAndNeverAgain() throws Exception {
        CredentialRef ref = CredentialRef.parse("kit/db-" + run);
        ManagedCredentialSpec spec = spec();
        follower = follower(Duration.ofSeconds(20));

        send(started("r1-" + run, ref, spec));
        OpenRotation open = answer(ref, "r1-" + run);
        assertThat(open.spec()).isEqualTo(spec);
        assertThat(open.specDigest()).isEqualTo(SpecDigest.of(spec));
        assertThat(open.generation()).isEqualTo(4);

        send(new RotationCompleted("r1-" + run, ref, Map.of(), Duration.ofSeconds(3)));
        // The very next question, asked as soon as Kafka acknowledged the end: a replay right after a rotation ended
        // must not find it still open because the follower had not read that far yet.
        assertNotCurrent(ref, "r1-" + run);
    }

    @Test
    void aRotationNeverStartedIsRefusedOnceEverythingWrittenBeforeTheQuestionWasRead() throws Exception {
        CredentialRef ref = CredentialRef.parse("kit/cache-" + run);
        follower = follower(Duration.ofSeconds(20));

        assertNotCurrent(ref, "made-up-" + run);
        // Another rotation of the same credential is not this one; a cancelled start is not current either.
        send(started("r2-" + run, ref, spec()));
        send(new RotationCancelled("r2-" + run, ref, "superseded", "orchestrator", null));
        assertNotCurrent(ref, "r2-" + run);
    }

    @Test
    void aFollowerStartedLaterReadsTheWholeHistory() throws Exception {
        CredentialRef ref = CredentialRef.parse("kit/late-" + run);
        send(started("r3-" + run, ref, spec()));
        send(started("r4-" + run, ref, spec()));
        send(new RotationCompleted("r3-" + run, ref, Map.of(), Duration.ZERO));

        follower = follower(Duration.ofSeconds(20));
        assertThat(follower.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();

        assertThat(answer(ref, "r4-" + run).rotationId()).isEqualTo("r4-" + run);
        assertNotCurrent(ref, "r3-" + run);
    }

    private OutcomeFollower follower(Duration catchUp) {
        OutcomeFollower f = new OutcomeFollower(Map.of("bootstrap.servers", bootstrapServers), codec, catchUp,
                Clock.systemUTC());
        f.start();
        return f;
    }

    private OpenRotation answer(CredentialRef ref, String rotationId) throws Exception {
        return follower.current(ref, rotationId).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private void assertNotCurrent(CredentialRef ref, String rotationId) {
        assertThatThrownBy(() -> answer(ref, rotationId)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(RecordRefused.class, r -> {
                    assertThat(r.reason()).isEqualTo(RecordRefused.Reason.NOT_CURRENT);
                    assertThat(r.getMessage()).contains(rotationId).contains(ref.asString());
                });
    }

    private static RotationStarted started(String rotationId, CredentialRef ref, ManagedCredentialSpec spec) {
        return new RotationStarted(rotationId, ref, "req-" + rotationId, "user:test", null, spec, Map.of(), 4,
                SpecDigest.of(spec));
    }

    private static ManagedCredentialSpec spec() {
        return new ManagedCredentialSpec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD,
                new Endpoint(null, List.of("127.0.0.1:6379"), null, null, null), new Identity("app", null, null),
                List.of(new SecretTarget("app", SecretFormat.KEYS, Map.of("password", "password"), null, null, null,
                        null)), null, null, null, null, null, null, null, null);
    }

    private void send(RotorEvent event) throws Exception {
        EncodedEvent e = codec.encode(event);
        assertThat(e.topic()).isEqualTo(Topics.EVENTS);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(e.topic(), e.key(), e.data());
            e.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        }
    }
}
