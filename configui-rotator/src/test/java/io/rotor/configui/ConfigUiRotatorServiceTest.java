package io.rotor.configui;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.event.CommandAction;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.Sealer;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.testkit.configui.FakeConfigUiPortal;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kafka.SagaLog;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service as deployed, short of the real portal: the orchestrator's starts and commands through a real broker,
 * answers read from rotor.steps.configui, the (labelled) Secret in the Kubernetes sandbox, the fake portal with its session cookie and CSRF tokens. A step that fails leaves the portal and the
 * Secret as they were, and the secret writer (which only acts on PLATFORM_UPDATED) never hears of it.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class ConfigUiRotatorServiceTest {

    static final String OLD = "0ld-Portal-Pass!";

    @KafkaBootstrapServers
    String bootstrap;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @Inject
    SealingKeys keys;

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
    void aRecipeCommandChangesThePortalPasswordAndAnswersWithBothValuesSealed() {
        CredentialRef ref = secret(OLD);
        ManagedCredentialSpec spec = ConfigUiSpecs.spec("replace", portal.url().toString(),
                ConfigUiSpecs.goodRecipe(), null);
        String rotationId = rotationId();

        startAndCommand(rotationId, ref, spec, "N3w-Portal-Pass#");

        StepCompleted done = log.await(StepCompleted.class, e -> e.rotationId().equals(rotationId));
        assertThat(done.step()).isEqualTo(Step.PLATFORM_UPDATED);
        assertThat(open(done, Purpose.NEW)).isEqualTo("N3w-Portal-Pass#");
        assertThat(open(done, Purpose.PREVIOUS)).isEqualTo(OLD);
        assertThat(done.details()).containsEntry("mode", "recipe").containsEntry("changed", "true");
        assertThat(portal.passwordIs("N3w-Portal-Pass#")).isTrue();
        assertThat(log.all()).noneMatch(e -> e instanceof StepFailed f && f.rotationId().equals(rotationId));
    }

    @Test
    void aWrongCsrfTokenFailsTheStepClearlyAndTouchesNeitherThePortalNorTheSecret() {
        CredentialRef ref = secret(OLD);
        ManagedCredentialSpec spec = ConfigUiSpecs.spec("replace", portal.url().toString(),
                ConfigUiSpecs.recipe("stale-token"), null);
        String rotationId = rotationId();
        String before = sandbox.client().secrets().inNamespace(ref.namespace()).withName(ref.name()).get()
                .getMetadata().getResourceVersion();

        startAndCommand(rotationId, ref, spec, "N3w-Portal-Pass#");

        StepFailed failed = log.await(StepFailed.class, e -> e.rotationId().equals(rotationId));
        assertThat(failed.step()).isEqualTo(Step.PLATFORM_UPDATED);
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.message()).contains("the portal answered 403").contains("CSRF")
                .doesNotContain(OLD).doesNotContain("N3w-Portal-Pass#");
        assertThat(portal.passwordIs(OLD)).isTrue();
        Secret after = sandbox.client().secrets().inNamespace(ref.namespace()).withName(ref.name()).get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before);
        assertThat(log.all()).noneMatch(e -> e instanceof StepCompleted c && c.rotationId().equals(rotationId));
    }

    @Test
    void aManualConfirmationIsProvenByTheRecipeLoginAndHandedOn() {
        CredentialRef ref = secret("Install-Time-Pass1");
        ManagedCredentialSpec spec = ConfigUiSpecs.spec("manual", portal.url().toString(),
                ConfigUiSpecs.goodRecipe(), null);
        String good = rotationId();
        String typo = rotationId();

        startAndCommand(good, ref, spec, OLD);
        startAndCommand(typo, ref, spec, "0ld-Portal-Pass?");

        StepCompleted done = log.await(StepCompleted.class, e -> e.rotationId().equals(good));
        assertThat(open(done, Purpose.NEW)).isEqualTo(OLD);
        assertThat(done.details()).containsEntry("mode", "manual");
        StepFailed refused = log.await(StepFailed.class, e -> e.rotationId().equals(typo));
        assertThat(refused.errorCode()).isEqualTo("configui_new_password_refused");
        assertThat(refused.message()).doesNotContain("Portal-Pass");
        assertThat(portal.passwordChanges()).isZero();
    }

    private CredentialRef secret(String password) {
        String name = "configui-" + UUID.randomUUID().toString().substring(0, 8);
        sandbox.client().secrets().inNamespace(sandbox.namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName(name).withLabels(Map.of(ManagedCredentials.CREDENTIAL_LABEL, name))
                .endMetadata()
                .withStringData(Map.of(".mlc_password", password, ".mlc_server_secret", "keep-me")).build()).create();
        return new CredentialRef(sandbox.namespace(), name);
    }

    /**
     * Publishes the orchestrator's start of the rotation, then its command, as the orchestrator does. The spec names
     * configui-user-secrets; each test gets a Secret (and credential) of its own.
     */
    private void startAndCommand(String rotationId, CredentialRef ref, ManagedCredentialSpec spec, String value) {
        RotateCredential command = command(rotationId, ref, spec, value);
        log.publish(StartedRotations.started(rotationId, ref, command.spec()));
        log.publish(command);
    }

    private RotateCredential command(String rotationId, CredentialRef ref, ManagedCredentialSpec spec, String value) {
        ManagedCredentialSpec own = own(ref, spec);
        return new RotateCredential(rotationId, ref, CommandAction.APPLY, own,
                CredentialMaterial.password(SecretValue.of(value)).seal(sealer, rotationId, ref, Purpose.NEW),
                SpecDigest.of(own));
    }

    private static ManagedCredentialSpec own(CredentialRef ref, ManagedCredentialSpec spec) {
        return ConfigUiSpecs.read(io.rotor.contracts.envelope.EventJson.newMapper()
                .valueToTree(spec).toString().replace("configui-user-secrets", ref.name()));
    }

    private String open(StepCompleted event, Purpose purpose) {
        return CredentialMaterial.open(sealer, purpose == Purpose.NEW ? event.material() : event.previous(),
                event.rotationId(), event.credential(), purpose).require(CredentialField.PASSWORD).reveal();
    }

    private static String rotationId() {
        return UUID.randomUUID().toString();
    }
}
