package io.rotor.configui;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.envelope.CloudEventHeaders;
import io.rotor.contracts.envelope.EventJson;
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
import io.rotor.contracts.sealing.Sealer;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.messaging.RecordRefused;
import io.rotor.kit.rotation.OutcomeFollower;
import io.rotor.testkit.configui.FakeConfigUiPortal;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kafka.SagaLog;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service attacked the way an adversary who can write (or replay) records on {@code rotor.commands.configui}
 * would: a command for a rotation the orchestrator never started, a replay after the rotation ended, and a command
 * whose spec sends the recipe to another portal than the started spec's. Each goes to {@code rotor.dlq} with its
 * reason and gets no step; the portal sees no request at all (not even a login with the Secret's password).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class ConfigUiRotatorAdversaryTest {

    private static final String OLD = "0ld-Portal-Pass!";
    private static final String SERVICE = "configui-rotator";

    @KafkaBootstrapServers
    String bootstrap;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @Inject
    SealingKeys keys;

    @Inject
    OutcomeFollower outcomes;

    private Sealer sealer;
    private FakeConfigUiPortal portal;
    private SagaLog log;

    @BeforeEach
    void start() {
        sealer = keys.sealerFor(Platform.CONFIGUI);
        portal = FakeConfigUiPortal.start("administrator", OLD);
        if (log == null) {
            log = new SagaLog(bootstrap, StepProducer.CONFIGUI);
        }
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    @Test
    void aCommandForARotationTheOrchestratorNeverStartedChangesNothing() {
        CredentialRef ref = secret(null, OLD);
        String rotation = rotationId();

        log.publish(command(rotation, ref, spec(ref, portal), "Attacker-Pass#1"));

        SagaLog.DeadLetter refused = log.awaitDeadLetter(rotation);
        assertRefused(refused, RecordRefused.Reason.NOT_CURRENT, rotation);
        assertThat(portal.requests()).as("requests the portal saw").isZero();
        assertThat(portal.passwordIs(OLD)).isTrue();
        assertThat(stepsOf(rotation)).isEmpty();
    }

    /**
     * Rotation 1 set p1; the operator later set p2 (p1 perhaps leaked) and the Secret holds it. Rotation 1's APPLY,
     * replayed, would log in with p2 and set p1 again if the rotator acted on it.
     */
    @Test
    void aCommandReplayedAfterItsRotationCompletedChangesNothing() {
        CredentialRef ref = secret(null, OLD);
        ManagedCredentialSpec spec = spec(ref, portal);
        String first = rotationId();
        RotateCredential original = command(first, ref, spec, "F1rst-Portal-Pass#");
        log.publish(StartedRotations.started(first, ref, spec));
        log.publish(original);
        StepCompleted updated = log.await(StepCompleted.class, e -> e.rotationId().equals(first));
        assertThat(updated.step()).isEqualTo(Step.PLATFORM_UPDATED);
        log.publish(new RotationCompleted(first, ref, Map.of(), Duration.ofMinutes(2)));
        awaitEnded(ref, first);
        portal.changePasswordInAdminView("S3cond-Portal-Pass#");
        secret(ref.name(), "S3cond-Portal-Pass#");
        int requests = portal.requests();
        int changes = portal.passwordChanges();

        log.publish(original);

        SagaLog.DeadLetter refused = log.awaitDeadLetter(first);
        assertRefused(refused, RecordRefused.Reason.NOT_CURRENT, first);
        assertThat(portal.requests()).isEqualTo(requests);
        assertThat(portal.passwordChanges()).isEqualTo(changes);
        assertThat(portal.passwordIs("S3cond-Portal-Pass#")).isTrue();
        assertThat(stepsOf(first)).as("only the original answer").singleElement().isInstanceOf(StepCompleted.class);
    }

    /** The command's spec points the recipe at the attacker's portal, which would receive the Secret's password. */
    @Test
    void aCommandWhoseSpecDiffersFromTheStartedOneChangesNothing() {
        try (FakeConfigUiPortal attacker = FakeConfigUiPortal.start("administrator", "whatever")) {
            CredentialRef ref = secret(null, OLD);
            String rotation = rotationId();

            log.publish(StartedRotations.started(rotation, ref, spec(ref, portal)));
            log.publish(command(rotation, ref, spec(ref, attacker), "Attacker-Pass#1"));

            SagaLog.DeadLetter refused = log.awaitDeadLetter(rotation);
            assertRefused(refused, RecordRefused.Reason.SPEC_MISMATCH, rotation);
            assertThat(attacker.requests()).as("requests the attacker's portal saw").isZero();
            assertThat(portal.requests()).isZero();
            assertThat(portal.passwordIs(OLD)).isTrue();
            assertThat(stepsOf(rotation)).isEmpty();
        }
    }

    private static void assertRefused(SagaLog.DeadLetter refused, RecordRefused.Reason reason, String rotation) {
        assertThat(refused.reason()).isEqualTo(reason.name());
        assertThat(refused.detail()).contains(rotation).doesNotContain("Pass");
        assertThat(refused.service()).isEqualTo(SERVICE);
        assertThat(refused.headers()).containsEntry(CloudEventHeaders.DLQ_TOPIC, Topics.COMMANDS_CONFIGUI);
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
                CredentialMaterial.password(SecretValue.of(value)).seal(sealer, rotation, ref, Purpose.NEW),
                SpecDigest.of(spec));
    }

    /** A recipe-mode spec against {@code target}, naming the credential's own Secret. */
    private static ManagedCredentialSpec spec(CredentialRef ref, FakeConfigUiPortal target) {
        ManagedCredentialSpec spec = ConfigUiSpecs.spec("replace", target.url().toString(), ConfigUiSpecs.goodRecipe(),
                null);
        return ConfigUiSpecs.read(EventJson.newMapper().valueToTree(spec).toString()
                .replace("configui-user-secrets", ref.name()));
    }

    /** Creates (name null: a new one) or replaces the credential's Secret, labelled for the credential. */
    private CredentialRef secret(String name, String password) {
        String secretName = name != null ? name : "configui-" + UUID.randomUUID().toString().substring(0, 8);
        sandbox.client().secrets().inNamespace(sandbox.namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName(secretName)
                .withLabels(Map.of(ManagedCredentials.CREDENTIAL_LABEL, secretName)).endMetadata()
                .withStringData(Map.of(".mlc_password", password, ".mlc_server_secret", "keep-me")).build())
                .createOr(r -> r.update());
        return new CredentialRef(sandbox.namespace(), secretName);
    }

    private static String rotationId() {
        return UUID.randomUUID().toString();
    }
}
