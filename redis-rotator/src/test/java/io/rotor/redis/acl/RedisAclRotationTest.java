package io.rotor.redis.acl;

import static io.rotor.redis.RuntimeHarness.command;
import static io.rotor.redis.RuntimeHarness.restarted;
import static io.rotor.redis.RuntimeHarness.single;
import static io.rotor.redis.acl.AclFixtures.everywhere;
import static io.rotor.redis.acl.AclFixtures.nowhere;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.redis.InMemorySecretLookup;
import io.rotor.redis.RuntimeHarness;
import io.rotor.testkit.redis.AclUser;
import io.rotor.testkit.redis.RedisReplicaSet;
import io.rotor.testkit.redis.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Whole dual-password rotations through the kit's runtime with the ACL adapter and three real nodes. */
class RedisAclRotationTest {

    private static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");
    private static final CredentialRef REF = CredentialRef.parse(AclFixtures.NAMESPACE + "/app");

    private final InMemorySecretLookup secrets = new InMemorySecretLookup();
    private RedisReplicaSet set;
    private RuntimeHarness harness;
    private ManagedCredentialSpec spec;

    @BeforeEach
    void start() {
        set = RedisReplicaSet.start(node -> node.defaultUserPassword(AclFixtures.ADMIN_PASSWORD)
                .aclUser(AclUser.fullAccess("app", "old-pw")));
        spec = AclFixtures.spec("app", set.nodes(), true);
        secrets.put(AclFixtures.NAMESPACE, "redis-admin", Map.of("password", AclFixtures.ADMIN_PASSWORD))
                .put(AclFixtures.NAMESPACE, "app-redis", Map.of("password", "old-pw"));
        harness = new RuntimeHarness(T0, secrets, 4, new RedisAclAdapter(secrets));
    }

    @AfterEach
    void stop() {
        harness.close();
        set.close();
    }

    @Test
    void applyThenRevokeAfterTheDelayAndARedeliveredCommandChangesNothing() throws Exception {
        List<RedisServerProcess> nodes = set.nodes();

        StepCompleted updated = (StepCompleted) harness.command(command("rot-1", REF, spec, "new-pw"), T0);
        assertThat(everywhere(nodes, "app", "old-pw")).isTrue();
        assertThat(everywhere(nodes, "app", "new-pw")).isTrue();
        assertThat(RuntimeHarness.open(updated.previous(), "rot-1", REF, Purpose.PREVIOUS, CredentialField.PASSWORD))
                .isEqualTo("old-pw");

        StepCompleted again = (StepCompleted) harness.command(command("rot-1", REF, spec, "new-pw"), T0);
        assertThat(again.details()).containsEntry("changed", "false").containsEntry("nodesChanged", "0");

        CompletionStage<List<RotorEvent>> revoke = harness.onEvent(restarted(updated), T0.plusSeconds(60));
        harness.timers.advance(Duration.ofSeconds(60 + 29));
        assertThat(revoke.toCompletableFuture()).isNotDone();
        assertThat(everywhere(nodes, "app", "old-pw")).isTrue();
        harness.timers.advance(Duration.ofSeconds(1));

        assertThat(single(revoke)).isInstanceOfSatisfying(StepCompleted.class,
                done -> assertThat(done.step()).isEqualTo(Step.OLD_REVOKED));
        assertThat(nowhere(nodes, "app", "old-pw")).isTrue();
        assertThat(everywhere(nodes, "app", "new-pw")).isTrue();
    }

    @Test
    void aNodeDownDuringApplyGivesARetriableFailureAndTheRetryLeavesNoPartialState() throws Exception {
        List<RedisServerProcess> nodes = set.nodes();
        nodes.get(1).kill();

        CompletionStage<List<RotorEvent>> answer = harness.onCommand(command("rot-2", REF, spec, "new-pw"), T0);
        await().until(() -> harness.timers.pending() == 1);
        assertThat(harness.announced).singleElement().isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retriable()).isTrue();
            assertThat(f.errorCode()).isEqualTo("node_unreachable");
            assertThat(f.message()).contains(nodes.get(1).host() + ":" + nodes.get(1).port());
        });
        assertThat(AclFixtures.authenticates(nodes.get(0), "app", "new-pw")).isFalse();

        nodes.get(1).restart();
        set.awaitReplication();
        harness.timers.advance(Duration.ofSeconds(1));

        assertThat(single(answer)).isInstanceOf(StepCompleted.class);
        assertThat(everywhere(nodes, "app", "new-pw")).isTrue();
        assertThat(everywhere(nodes, "app", "old-pw")).isTrue();
    }

    @Test
    void aNodeThatStaysDownEndsTheStepForGoodWithNoNodeChanged() throws Exception {
        List<RedisServerProcess> nodes = set.nodes();
        nodes.get(2).kill();

        CompletionStage<List<RotorEvent>> answer = harness.onCommand(command("rot-3", REF, spec, "new-pw"), T0);
        for (int i = 0; i < 3; i++) {
            await().until(() -> harness.timers.pending() == 1);
            harness.timers.advance(Duration.ofSeconds(10));
        }

        assertThat(single(answer)).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retriable()).isFalse();
            assertThat(f.attempt()).isEqualTo(4);
            assertThat(f.message()).contains("gave up after 4 attempts");
        });
        assertThat(nowhere(nodes.subList(0, 2), "app", "new-pw")).isTrue();
    }
}
