package io.rotor.openstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.envelope.CloudEventHeaders;
import io.rotor.contracts.event.CommandAction;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepEvent;
import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.event.Topics;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.messaging.RecordRefused;
import io.rotor.kit.rotation.OutcomeFollower;
import io.rotor.openstack.keystone.KeystoneClient;
import io.rotor.openstack.keystone.UserSelector;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kafka.SagaLog;
import io.rotor.testkit.keystone.FakeKeystone;
import io.rotor.testkit.keystone.KeystoneAdmin.TestUser;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service attacked the way an adversary who can write (or replay) records on {@code rotor.commands.openstack}
 * would: a command for a rotation the orchestrator never started, a replay after the rotation ended, a command whose
 * spec names another Keystone user than the started one. Each goes to {@code rotor.dlq} with its reason, gets no step,
 * and Keystone sees no password change for the user (nor a login with a value the attacker chose).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class OpenstackRotatorAdversaryTest {

    private static final FakeKeystone KEYSTONE = FakeKeystone.builder().realTime().start();
    private static final String SERVICE = "rotor-openstack-rotator-commands";

    @KafkaBootstrapServers
    String bootstrap;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @Inject
    OutcomeFollower outcomes;

    private final KeystoneAdmin admin = KeystoneAdmin.of(KEYSTONE);
    private final KeystoneClient client = KeystoneClient.builder(KEYSTONE.url().toString()).build();
    private SagaLog log;

    @BeforeEach
    void connect() {
        if (log == null) {
            log = new SagaLog(bootstrap, StepProducer.OPENSTACK);
        }
    }

    @AfterAll
    static void stop() {
        KEYSTONE.close();
    }

    @Test
    void aCommandForARotationTheOrchestratorNeverStartedChangesNothing() {
        TestUser user = admin.createUser(admin.uniqueName("forged"), "Pw-Current-123");
        CredentialRef ref = secret(user, "Pw-Current-123");
        String rotation = "forged-" + user.name();

        log.publish(command(rotation, ref, spec(ref, user), "Pw-Attacker-666"));

        SagaLog.DeadLetter refused = log.awaitDeadLetter(rotation);
        assertRefused(refused, RecordRefused.Reason.NOT_CURRENT, rotation, "Pw-Attacker-666");
        assertUntouched(user, "Pw-Current-123");
        assertThat(stepsOf(rotation)).isEmpty();
    }

    /**
     * Rotation 1 set p1; a later rotation replaced it with p2 (p1 perhaps leaked). Rotation 1's APPLY, replayed, would
     * set p1 again if the rotator acted on it: Keystone's password is simply replaced.
     */
    @Test
    void aCommandReplayedAfterItsRotationCompletedChangesNothing() {
        TestUser user = admin.createUser(admin.uniqueName("replay"), "Pw-Current-123");
        CredentialRef ref = secret(user, "Pw-Current-123");
        ManagedCredentialSpec spec = spec(ref, user);
        String first = "first-" + user.name();
        RotateCredential original = command(first, ref, spec, "Pw-First-456");
        log.publish(StartedRotations.started(first, ref, spec));
        log.publish(original);
        StepCompleted updated = log.await(StepCompleted.class, e -> e.rotationId().equals(first));
        assertThat(updated.step()).isEqualTo(Step.PLATFORM_UPDATED);
        log.publish(new RotationCompleted(first, ref, Map.of(), Duration.ofMinutes(2)));
        awaitEnded(ref, first);
        // A later rotation (not replayed here) set p2 on Keystone and in the Secret.
        client.changePassword(user.id(), SecretValue.of("Pw-First-456"), SecretValue.of("Pw-Second-789"));
        secret(user, "Pw-Second-789");
        int passwords = KEYSTONE.passwordCount(user.id());
        long changes = passwordChanges(user);

        log.publish(original);

        SagaLog.DeadLetter refused = log.awaitDeadLetter(first);
        assertRefused(refused, RecordRefused.Reason.NOT_CURRENT, first, "Pw-First-456");
        assertThat(KEYSTONE.passwordCount(user.id())).isEqualTo(passwords);
        assertThat(passwordChanges(user)).isEqualTo(changes);
        assertThat(client.login(UserSelector.byId(user.id()), SecretValue.of("Pw-Second-789"), null).userId())
                .isEqualTo(user.id());
        assertThat(stepsOf(first)).as("only the original answer").singleElement().isInstanceOf(StepCompleted.class);
    }

    @Test
    void aCommandWhoseSpecDiffersFromTheStartedOneChangesNothing() {
        TestUser user = admin.createUser(admin.uniqueName("owner"), "Pw-Current-123");
        TestUser victim = admin.createUser(admin.uniqueName("victim"), "Pw-Victim-123");
        CredentialRef ref = secret(user, "Pw-Current-123");
        String rotation = "swapped-" + user.name();
        // The started spec names the credential's user; the command's names the victim (an honest digest of itself).
        ManagedCredentialSpec swapped = spec(ref, victim);

        log.publish(StartedRotations.started(rotation, ref, spec(ref, user)));
        log.publish(command(rotation, ref, swapped, "Pw-Attacker-666"));

        SagaLog.DeadLetter refused = log.awaitDeadLetter(rotation);
        assertRefused(refused, RecordRefused.Reason.SPEC_MISMATCH, rotation, "Pw-Attacker-666");
        assertUntouched(victim, "Pw-Victim-123");
        assertUntouched(user, "Pw-Current-123");
        assertThat(stepsOf(rotation)).isEmpty();
    }

    private void assertUntouched(TestUser user, String password) {
        assertThat(passwordChanges(user)).as("password changes of " + user.name()).isZero();
        assertThat(KEYSTONE.passwordCount(user.id())).isEqualTo(1);
        assertThat(KEYSTONE.failedLoginCount(user.id())).isZero();
        assertThat(client.login(UserSelector.byId(user.id()), SecretValue.of(password), null).userId())
                .isEqualTo(user.id());
    }

    private static void assertRefused(SagaLog.DeadLetter refused, RecordRefused.Reason reason, String rotation,
            String secret) {
        assertThat(refused.reason()).isEqualTo(reason.name());
        assertThat(refused.detail()).contains(rotation).doesNotContain(secret);
        assertThat(refused.service()).isEqualTo(SERVICE);
        assertThat(refused.headers()).containsEntry(CloudEventHeaders.DLQ_TOPIC, Topics.COMMANDS_OPENSTACK);
    }

    private static long passwordChanges(TestUser user) {
        return KEYSTONE.requestCount("POST", "/v3/users/" + user.id() + "/password")
                + KEYSTONE.requestCount("PATCH", "/v3/users/" + user.id());
    }

    private List<StepEvent> stepsOf(String rotation) {
        return log.all().stream().filter(StepEvent.class::isInstance).map(StepEvent.class::cast)
                .filter(e -> e.rotationId().equals(rotation)).toList();
    }

    /** Until the rotator's follower of rotor.events has read the rotation's end. */
    private void awaitEnded(CredentialRef ref, String rotation) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                outcomes.current(ref, rotation).toCompletableFuture().join();
                return false;
            } catch (CompletionException e) {
                return e.getCause() instanceof RecordRefused;
            }
        });
    }

    private RotateCredential command(String rotation, CredentialRef ref, ManagedCredentialSpec spec, String value) {
        return new RotateCredential(rotation, ref, CommandAction.APPLY, spec,
                CredentialMaterial.password(SecretValue.of(value)).seal(TestTrust.SEALER, rotation, ref, Purpose.NEW),
                SpecDigest.of(spec));
    }

    /** The user's clouds.yaml Secret (created or replaced), labelled for the credential of the same name. */
    private CredentialRef secret(TestUser user, String password) {
        String name = "os-" + user.name();
        sandbox.client().secrets().inNamespace(sandbox.namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName(name).withLabels(Map.of(ManagedCredentials.CREDENTIAL_LABEL, name))
                .endMetadata()
                .withStringData(Map.of("clouds.yaml", """
                        clouds:
                          prod:
                            auth:
                              auth_url: %s
                              username: %s
                              password: "%s"
                              user_domain_name: Default
                        """.formatted(KEYSTONE.url(), user.name(), password))).build()).createOr(r -> r.update());
        return new CredentialRef(sandbox.namespace(), name);
    }

    private static ManagedCredentialSpec spec(CredentialRef ref, TestUser user) {
        return new ManagedCredentialSpec(Platform.OPENSTACK_KEYSTONE, Strategy.REPLACE,
                new Endpoint(KEYSTONE.url().toString(), null, null, null, null), new Identity(null, user.id(), null),
                List.of(new SecretTarget(ref.name(), SecretFormat.CLOUDS_YAML, null, null, "prod", null, null)),
                null, null, Duration.ZERO, null, null, null, null, null);
    }
}
