package io.rotor.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.RedisAclOptions;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretKeyRef;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.CloudEventHeaders;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.envelope.RejectedRecord;
import io.rotor.contracts.event.CommandAction;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.Topics;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.messaging.RecordRefused;
import io.rotor.kit.rotation.OutcomeFollower;
import io.rotor.kit.timer.ManualTimers;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import io.rotor.testkit.redis.RedisServerProcess;
import io.rotor.testkit.redis.RespClient;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service attacked the way an adversary who can write (or replay) records on {@code rotor.commands.redis} would:
 * a command for a rotation the orchestrator never started, a replay of a command after its rotation ended, and a
 * command whose spec was swapped for another user's. Each goes to {@code rotor.dlq} with its reason, is answered with
 * no step, and leaves Redis exactly as it was (the user's ACL, password hashes included). Real broker, real
 * redis-server, the Kubernetes sandbox; the same wiring as {@link RedisRotatorServiceTest}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@WithTestResource(value = KubernetesSandboxTestResource.class, initArgs = {
    @ResourceArg(name = KubernetesSandboxTestResource.NAMESPACE, value = "shop"),
    @ResourceArg(name = KubernetesSandboxTestResource.CONTROLLER, value = "false")})
class RedisRotatorAdversaryTest {

    private static final String NS = "shop";
    private static final String SERVICE = "rotor-redis-rotator";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static RedisServerProcess redis;

    @KafkaBootstrapServers
    String bootstrapServers;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @Inject
    ManualTimers timers;

    @Inject
    OutcomeFollower outcomes;

    private EventLog events;

    @BeforeAll
    static void platform() {
        redis = RedisServerProcess.builder().defaultUserPassword("admin-pw").withAclFile().start();
    }

    @AfterAll
    static void stopPlatform() {
        redis.close();
    }

    @BeforeEach
    void log() {
        events = new EventLog(bootstrapServers, new CloudEventCodec("/test/orchestrator", timers.clock(),
                () -> UUID.randomUUID().toString()));
        secret("redis-admin", Map.of("password", "admin-pw"), null);
    }

    @AfterEach
    void closeLog() {
        events.close();
    }

    @Test
    void aCommandForARotationTheOrchestratorNeverStartedChangesNothing() {
        String user = aclUser("old-pw");
        ManagedCredentialSpec spec = spec(user);
        CredentialRef ref = CredentialRef.parse(NS + "/" + user);
        String before = acl(user);
        String rotation = "forged-" + suffix();

        events.publish(RuntimeHarness.command(rotation, ref, spec, "attacker-pw"));

        EventLog.DeadLetter refused = events.awaitDeadLetter(rotation, WAIT);
        assertRefused(refused, RecordRefused.Reason.NOT_CURRENT, rotation, "attacker-pw");
        assertThat(refused.detail()).contains("never started it, or it has ended");
        assertThat(acl(user)).isEqualTo(before);
        assertThat(auth(user, "attacker-pw")).isFalse();
        assertThat(auth(user, "old-pw")).isTrue();
        assertThat(events.steps(rotation)).isEmpty();
    }

    /**
     * The replay that would hurt: rotation 1 replaced p1, and a later rotation retired p1 (perhaps because it leaked).
     * Rotation 1's APPLY, replayed, would put p1 back next to the current password if the rotator acted on it.
     */
    @Test
    void aCommandReplayedAfterItsRotationCompletedChangesNothing() throws Exception {
        String user = aclUser("old-pw");
        ManagedCredentialSpec spec = spec(user);
        CredentialRef ref = CredentialRef.parse(NS + "/" + user);
        String first = "first-" + suffix();
        RotateCredential original = RuntimeHarness.command(first, ref, spec, "p1");
        events.publish(StartedRotations.started(first, ref, spec));
        events.publish(original);
        StepCompleted updated = events.await(first, Step.PLATFORM_UPDATED, StepCompleted.class, WAIT);
        assertThat(updated.details()).containsEntry("changed", "true");
        assertThat(auth(user, "p1")).isTrue();
        events.publish(new RotationCompleted(first, ref, Map.of(), Duration.ofMinutes(6)));
        awaitEnded(ref, first);
        // A later rotation (its saga not replayed here) made p2 the only password and wrote it to the Secret.
        try (RespClient admin = redis.connectAsDefaultUser()) {
            admin.callText("ACL", "SETUSER", user, "resetpass", ">p2");
        }
        secret(user + "-redis", Map.of("password", "p2"), user);
        String before = acl(user);

        events.publish(original);

        EventLog.DeadLetter refused = events.awaitDeadLetter(first, WAIT);
        assertRefused(refused, RecordRefused.Reason.NOT_CURRENT, first, "p1");
        assertThat(acl(user)).isEqualTo(before);
        assertThat(auth(user, "p1")).as("the retired password stays retired").isFalse();
        assertThat(auth(user, "p2")).isTrue();
        assertThat(events.steps(first)).as("only the original answer").singleElement()
                .isInstanceOf(StepCompleted.class);
    }

    @Test
    void aCommandWhoseSpecDiffersFromTheStartedOneChangesNothing() {
        String user = aclUser("old-pw");
        String victim = aclUser("victim-pw");
        CredentialRef ref = CredentialRef.parse(NS + "/" + user);
        ManagedCredentialSpec started = spec(user);
        // The same credential and rotation, but the spec now names another user (with an honest digest of itself).
        ManagedCredentialSpec swapped = spec(victim);
        String rotation = "swapped-" + suffix();
        String userBefore = acl(user);
        String victimBefore = acl(victim);

        events.publish(StartedRotations.started(rotation, ref, started));
        events.publish(new RotateCredential(rotation, ref, CommandAction.APPLY, swapped,
                CredentialMaterial.password(SecretValue.of("attacker-pw"))
                        .seal(RuntimeHarness.SEALER, rotation, ref, Purpose.NEW), SpecDigest.of(swapped)));

        EventLog.DeadLetter refused = events.awaitDeadLetter(rotation, WAIT);
        assertRefused(refused, RecordRefused.Reason.SPEC_MISMATCH, rotation, "attacker-pw");
        assertThat(acl(victim)).isEqualTo(victimBefore);
        assertThat(acl(user)).isEqualTo(userBefore);
        assertThat(auth(victim, "attacker-pw")).isFalse();
        assertThat(auth(victim, "victim-pw")).isTrue();
        assertThat(events.steps(rotation)).isEmpty();
    }

    @Test
    void aCommandWhoseDigestLiesAboutItsSpecIsRefusedUnread() {
        String user = aclUser("old-pw");
        String victim = aclUser("victim-pw");
        CredentialRef ref = CredentialRef.parse(NS + "/" + user);
        ManagedCredentialSpec started = spec(user);
        String rotation = "lying-" + suffix();
        String victimBefore = acl(victim);

        events.publish(StartedRotations.started(rotation, ref, started));
        // The swapped spec with the started spec's digest (the codec would not write it: the bytes are edited).
        ManagedCredentialSpec swapped = spec(victim);
        EncodedEvent honest = new CloudEventCodec("/test/attacker").encode(new RotateCredential(rotation, ref,
                CommandAction.APPLY, swapped, CredentialMaterial.password(SecretValue.of("attacker-pw"))
                        .seal(RuntimeHarness.SEALER, rotation, ref, Purpose.NEW), SpecDigest.of(swapped)));
        byte[] lying = new String(honest.data(), StandardCharsets.UTF_8)
                .replace(SpecDigest.of(swapped), SpecDigest.of(started)).getBytes(StandardCharsets.UTF_8);
        events.publish(new EncodedEvent(honest.topic(), honest.key(), honest.headers(), lying));

        EventLog.DeadLetter refused = events.awaitDeadLetter(rotation, WAIT);
        assertThat(refused.reason()).isEqualTo(RejectedRecord.Reason.INVALID_FIELDS.name());
        assertThat(refused.detail()).contains("specDigest").doesNotContain("attacker-pw");
        assertThat(refused.headers()).containsEntry(CloudEventHeaders.DLQ_SERVICE, SERVICE);
        assertThat(acl(victim)).isEqualTo(victimBefore);
        assertThat(auth(victim, "attacker-pw")).isFalse();
        assertThat(events.steps(rotation)).isEmpty();
    }

    private static void assertRefused(EventLog.DeadLetter refused, RecordRefused.Reason reason, String rotation,
            String secret) {
        assertThat(refused.reason()).isEqualTo(reason.name());
        assertThat(refused.detail()).contains(rotation).doesNotContain(secret);
        assertThat(refused.headers()).containsEntry(CloudEventHeaders.DLQ_SERVICE, SERVICE)
                .containsEntry(CloudEventHeaders.DLQ_TOPIC, Topics.COMMANDS_REDIS);
    }

    /** Until the rotator's follower of rotor.events has read the rotation's end. */
    private void awaitEnded(CredentialRef ref, String rotation) {
        Awaitility.await().atMost(WAIT).until(() -> {
            try {
                outcomes.current(ref, rotation).toCompletableFuture().join();
                return false;
            } catch (CompletionException e) {
                return e.getCause() instanceof RecordRefused;
            }
        });
    }

    /** A new ACL user with this password, its Secret labelled for the credential of the same name. */
    private String aclUser(String password) {
        String user = "u" + suffix();
        try (RespClient admin = redis.connectAsDefaultUser()) {
            admin.callText("ACL", "SETUSER", user, "on", ">" + password, "~*", "+@all");
        }
        secret(user + "-redis", Map.of("password", password), user);
        return user;
    }

    private ManagedCredentialSpec spec(String user) {
        return new ManagedCredentialSpec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD,
                new Endpoint(null, List.of(redis.host() + ":" + redis.port()), null, null, null),
                new Identity(user, null, null),
                List.of(new SecretTarget(user + "-redis", SecretFormat.KEYS, Map.of("password", "password"), null,
                        null, null, null)),
                null, null, Duration.ofSeconds(30), null, null, null, null, null,
                new RedisAclOptions(null, new SecretKeyRef("redis-admin", "password")));
    }

    /** The user's ACL as Redis reports it: flags, password hashes, keys, commands. */
    private String acl(String user) {
        try (RespClient admin = redis.connectAsDefaultUser()) {
            return admin.call("ACL", "GETUSER", user).toString();
        }
    }

    private boolean auth(String user, String password) {
        try (RespClient client = redis.connect()) {
            return client.auth(user, password);
        }
    }

    private void secret(String name, Map<String, String> data, String credential) {
        Map<String, String> encoded = new HashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        Map<String, String> labels = credential == null ? Map.of()
                : Map.of(ManagedCredentials.CREDENTIAL_LABEL, credential);
        sandbox.client().secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(NS).withLabels(labels).endMetadata().withData(encoded).build())
                .createOr(r -> r.update());
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 6);
    }
}
