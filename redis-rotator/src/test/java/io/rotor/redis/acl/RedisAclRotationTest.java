package io.rotor.redis.acl;

import static io.rotor.redis.acl.AclFixtures.everywhere;
import static io.rotor.redis.acl.AclFixtures.nowhere;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.CommandAction;
import io.rotor.contracts.event.EventType;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.contracts.sealing.Keyring;
import io.rotor.contracts.sealing.Sealer;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.lookup.KeysFormatCurrentValueReader;
import io.rotor.kit.messaging.EventPublisher;
import io.rotor.kit.messaging.InboundProcessor;
import io.rotor.kit.messaging.InboundRecord;
import io.rotor.kit.participant.ParticipantMetrics;
import io.rotor.kit.participant.ParticipantRuntime;
import io.rotor.kit.participant.ParticipantSettings;
import io.rotor.kit.timer.ManualTimers;
import io.rotor.redis.InMemorySecretLookup;
import io.rotor.testkit.redis.AclUser;
import io.rotor.testkit.redis.RedisReplicaSet;
import io.rotor.testkit.redis.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A whole dual-password rotation through the kit's runtime with the ACL adapter and three real nodes. */
class RedisAclRotationTest {

    private static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");
    private static final Sealer SEALER = new Sealer(Keyring.parse("k1=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
    private static final CredentialRef REF = CredentialRef.parse(AclFixtures.NAMESPACE + "/app");

    private final ManualTimers timers = new ManualTimers(T0);
    private final List<RotorEvent> announced = new CopyOnWriteArrayList<>();
    private final InMemorySecretLookup secrets = new InMemorySecretLookup();
    private RedisReplicaSet set;
    private ParticipantRuntime runtime;
    private ManagedCredentialSpec spec;

    @BeforeEach
    void start() {
        set = RedisReplicaSet.start(node -> node.defaultUserPassword(AclFixtures.ADMIN_PASSWORD)
                .aclUser(AclUser.fullAccess("app", "old-pw")));
        spec = AclFixtures.spec("app", set.nodes(), true);
        secrets.put(AclFixtures.NAMESPACE, "redis-admin", Map.of("password", AclFixtures.ADMIN_PASSWORD))
                .put(AclFixtures.NAMESPACE, "app-redis", Map.of("password", "old-pw"));
        EventPublisher publisher = new EventPublisher() {
            @Override
            public CompletionStage<Void> publish(RotorEvent event) {
                announced.add(event);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> publishAll(List<? extends RotorEvent> events) {
                announced.addAll(events);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> deadLetter(InboundRecord record, String reason, String detail) {
                return CompletableFuture.completedFuture(null);
            }
        };
        runtime = new ParticipantRuntime(List.of(new RedisAclAdapter(secrets)),
                new KeysFormatCurrentValueReader(secrets), SEALER, publisher,
                new InboundProcessor(new CloudEventCodec("/test"), publisher), timers, ParticipantSettings.forTests(4),
                new ParticipantMetrics(new SimpleMeterRegistry()));
    }

    @AfterEach
    void stop() {
        runtime.close();
        set.close();
    }

    @Test
    void applyThenRevokeAfterTheDelayAndARedeliveredCommandChangesNothing() throws Exception {
        List<RedisServerProcess> nodes = set.nodes();
        RotateCredential command = command("rot-1", "new-pw");

        StepCompleted updated = (StepCompleted) single(runtime.onCommand(decoded(command, T0)));
        assertThat(everywhere(nodes, "app", "old-pw")).isTrue();
        assertThat(everywhere(nodes, "app", "new-pw")).isTrue();
        assertThat(open(updated.previous(), "rot-1", Purpose.PREVIOUS)).isEqualTo("old-pw");

        StepCompleted again = (StepCompleted) single(runtime.onCommand(decoded(command, T0)));
        assertThat(again.details()).containsEntry("changed", "false").containsEntry("nodesChanged", "0");

        StepCompleted restarted = new StepCompleted("rot-1", REF, Step.WORKLOADS_RESTARTED, spec, updated.material(),
                updated.previous(), Map.of(), Duration.ofSeconds(20));
        CompletionStage<List<RotorEvent>> revoke = runtime.onEvent(decoded(restarted, T0.plusSeconds(60)));
        timers.advance(Duration.ofSeconds(60 + 29));
        assertThat(revoke.toCompletableFuture()).isNotDone();
        assertThat(everywhere(nodes, "app", "old-pw")).isTrue();
        timers.advance(Duration.ofSeconds(1));

        assertThat(single(revoke)).isInstanceOfSatisfying(StepCompleted.class,
                done -> assertThat(done.step()).isEqualTo(Step.OLD_REVOKED));
        assertThat(nowhere(nodes, "app", "old-pw")).isTrue();
        assertThat(everywhere(nodes, "app", "new-pw")).isTrue();
    }

    @Test
    void aNodeDownDuringApplyGivesARetriableFailureAndTheRetryLeavesNoPartialState() throws Exception {
        List<RedisServerProcess> nodes = set.nodes();
        nodes.get(1).kill();

        CompletionStage<List<RotorEvent>> answer = runtime.onCommand(decoded(command("rot-2", "new-pw"), T0));
        await().until(() -> timers.pending() == 1);
        assertThat(announced).singleElement().isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retriable()).isTrue();
            assertThat(f.errorCode()).isEqualTo("node_unreachable");
            assertThat(f.message()).contains(nodes.get(1).host() + ":" + nodes.get(1).port());
        });
        assertThat(AclFixtures.authenticates(nodes.get(0), "app", "new-pw")).isFalse();

        nodes.get(1).restart();
        set.awaitReplication();
        timers.advance(Duration.ofSeconds(1));

        assertThat(single(answer)).isInstanceOf(StepCompleted.class);
        assertThat(everywhere(nodes, "app", "new-pw")).isTrue();
        assertThat(everywhere(nodes, "app", "old-pw")).isTrue();
    }

    @Test
    void aNodeThatStaysDownEndsTheStepForGoodWithNoNodeChanged() throws Exception {
        List<RedisServerProcess> nodes = set.nodes();
        nodes.get(2).kill();

        CompletionStage<List<RotorEvent>> answer = runtime.onCommand(decoded(command("rot-3", "new-pw"), T0));
        for (int i = 0; i < 3; i++) {
            await().until(() -> timers.pending() == 1);
            timers.advance(Duration.ofSeconds(10));
        }

        assertThat(single(answer)).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retriable()).isFalse();
            assertThat(f.attempt()).isEqualTo(4);
        });
        assertThat(nowhere(nodes.subList(0, 2), "app", "new-pw")).isTrue();
    }

    private RotateCredential command(String rotationId, String newPassword) {
        return new RotateCredential(rotationId, REF, CommandAction.APPLY, spec,
                CredentialMaterial.password(SecretValue.of(newPassword)).seal(SEALER, rotationId, REF, Purpose.NEW));
    }

    private static DecodedEvent decoded(RotorEvent event, Instant time) {
        return new DecodedEvent("id", "/test", time, EventType.of(event), event, null);
    }

    private static RotorEvent single(CompletionStage<List<RotorEvent>> stage) throws Exception {
        List<RotorEvent> events = stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static String open(Map<String, io.rotor.contracts.sealing.SealedValue> sealed, String rotationId,
            Purpose purpose) {
        return CredentialMaterial.open(SEALER, sealed, rotationId, REF, purpose)
                .require(io.rotor.contracts.credential.CredentialField.PASSWORD).reveal();
    }
}
