package io.rotor.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import io.rotor.kit.secret.SecretData;
import io.rotor.testing.EventLog;
import io.rotor.testing.Rotations;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer as a service: step events in through a real broker, Secrets in the sandbox, answers on
 * rotor.steps.secret-writer; forged, replayed and widened records refused to rotor.dlq.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KubernetesSandboxTestResource.class)
class SecretWriterKafkaTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @KafkaBootstrapServers
    String bootstrapServers;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    private EventLog log;
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void connect() {
        log = new EventLog(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        log.close();
    }

    @Test
    void platformUpdatedIsAnsweredWithSecretWrittenAfterTheSecretHoldsTheNewValue() {
        sandbox.client().secrets().resource(new SecretBuilder().withNewMetadata().withName("rec-" + id)
                .addToLabels(ManagedCredentials.CREDENTIAL_LABEL, "rec-" + id).endMetadata()
                .addToStringData("username", "admin@example.com").addToStringData("password", "old").build()).create();
        CredentialRef credential = new CredentialRef(sandbox.namespace(), "rec-" + id);
        StepCompleted platformUpdated = Rotations.platformUpdated(Rotations.newRotationId(), credential,
                Rotations.redisAcl(List.of(Rotations.keys("rec-" + id, Map.of("password", "password")))),
                Map.of(CredentialField.PASSWORD, "s3cr3t-new"), Map.of(CredentialField.PASSWORD, "old"));
        started(platformUpdated);

        log.publish(platformUpdated);

        StepCompleted written = log.await(StepCompleted.class, e -> e.rotationId().equals(platformUpdated.rotationId())
                && e.step() == Step.SECRET_WRITTEN, TIMEOUT);
        var secret = sandbox.client().secrets().withName("rec-" + id).get();
        assertThat(new String(SecretData.of(secret).get("password"), StandardCharsets.UTF_8)).isEqualTo("s3cr3t-new");
        assertThat(new String(SecretData.of(secret).get("username"), StandardCharsets.UTF_8)).isEqualTo("admin@example.com");
        assertThat(written.details()).containsEntry("secret/rec-" + id, secret.getMetadata().getResourceVersion());
        assertThat(written.material()).isEqualTo(platformUpdated.material());
        assertThat(written.previous()).isEqualTo(platformUpdated.previous());
        assertThat(written.credential()).isEqualTo(credential);
    }

    @Test
    void aRedeliveredEventIsAnsweredAgainWithoutASecondWrite() {
        sandbox.client().secrets().resource(new SecretBuilder().withNewMetadata().withName("app-" + id)
                .addToLabels(ManagedCredentials.CREDENTIAL_LABEL, "app-" + id).endMetadata()
                .addToStringData("password", "old").build()).create();
        CredentialRef credential = new CredentialRef(sandbox.namespace(), "app-" + id);
        StepCompleted platformUpdated = Rotations.platformUpdated(Rotations.newRotationId(), credential,
                Rotations.redisAcl(List.of(Rotations.keys("app-" + id, Map.of("password", "password")))),
                Map.of(CredentialField.PASSWORD, "new"), null);
        started(platformUpdated);
        log.publish(platformUpdated);
        log.await(StepCompleted.class, e -> e.rotationId().equals(platformUpdated.rotationId())
                && e.step() == Step.SECRET_WRITTEN, TIMEOUT);
        String version = sandbox.client().secrets().withName("app-" + id).get().getMetadata().getResourceVersion();

        log.publish(platformUpdated);

        List<?> answers = log.all(e -> e instanceof StepCompleted c && c.rotationId().equals(platformUpdated.rotationId())
                && c.step() == Step.SECRET_WRITTEN, Duration.ofSeconds(3));
        assertThat(answers).hasSize(2).allSatisfy(a -> assertThat(((StepCompleted) a).details())
                .containsEntry("secret/app-" + id, version));
        assertThat(sandbox.client().secrets().withName("app-" + id).get().getMetadata().getResourceVersion())
                .isEqualTo(version);
    }

    @Test
    void aMissingSecretIsAnsweredWithAPermanentStepFailed() {
        CredentialRef credential = new CredentialRef(sandbox.namespace(), "gone-" + id);
        StepCompleted platformUpdated = Rotations.platformUpdated(Rotations.newRotationId(), credential,
                Rotations.redisAcl(List.of(Rotations.keys("gone-" + id, Map.of("password", "password")))),
                Map.of(CredentialField.PASSWORD, "new"), null);
        started(platformUpdated);

        log.publish(platformUpdated);

        StepFailed failed = log.await(StepFailed.class, e -> e.rotationId().equals(platformUpdated.rotationId()), TIMEOUT);
        assertThat(failed.step()).isEqualTo(Step.SECRET_WRITTEN);
        assertThat(failed.errorCode()).isEqualTo("secret_not_found");
        assertThat(failed.retriable()).isFalse();
    }

    @Test
    void aForgedPlatformUpdatedForARotationNeverStartedWritesNothingAndIsRefusedToTheDlq() {
        createSecret("forged-" + id, "forged-" + id);
        CredentialRef credential = new CredentialRef(sandbox.namespace(), "forged-" + id);
        StepCompleted forged = Rotations.platformUpdated(Rotations.newRotationId(), credential,
                Rotations.redisAcl(List.of(Rotations.keys("forged-" + id, Map.of("password", "password")))),
                Map.of(CredentialField.PASSWORD, "attacker-chosen"), null);

        log.publish(forged);

        assertThat(log.refusals(forged.rotationId(), TIMEOUT)).containsExactly("NOT_CURRENT");
        assertThat(password("forged-" + id)).isEqualTo("old");
        assertThat(log.all(e -> e.rotationId().equals(forged.rotationId()) && e instanceof StepCompleted c
                && c.step() == Step.SECRET_WRITTEN,
                Duration.ofSeconds(1))).as("no answer to a forged step").isEmpty();
    }

    @Test
    void aReplayedPlatformUpdatedAfterTheRotationEndedPutsNoRetiredValueBack() {
        createSecret("replay-" + id, "replay-" + id);
        CredentialRef credential = new CredentialRef(sandbox.namespace(), "replay-" + id);
        StepCompleted first = Rotations.platformUpdated(Rotations.newRotationId(), credential,
                Rotations.redisAcl(List.of(Rotations.keys("replay-" + id, Map.of("password", "password")))),
                Map.of(CredentialField.PASSWORD, "retired-soon"), null);
        started(first);
        log.publish(first);
        // As in the saga: the rotation ends after the restart (here answered by this app's pod restarter).
        log.await(StepCompleted.class, e -> e.rotationId().equals(first.rotationId())
                && e.step() == Step.WORKLOADS_RESTARTED, TIMEOUT);
        log.publish(new RotationCompleted(first.rotationId(), credential, Map.of(), Duration.ofSeconds(1)));
        sandbox.client().secrets().withName("replay-" + id).edit(s -> {
            s.setData(null);
            s.setStringData(Map.of("password", "rotated-later"));
            return s;
        });

        log.publish(first);

        assertThat(log.refusals(first.rotationId(), TIMEOUT)).containsExactly("NOT_CURRENT");
        assertThat(password("replay-" + id)).isEqualTo("rotated-later");
    }

    @Test
    void aRecordWhoseSpecIsNotTheStartedOneIsRefusedAndWritesNowhere() {
        createSecret("mine-" + id, "mine-" + id);
        createSecret("theirs-" + id, "mine-" + id);
        CredentialRef credential = new CredentialRef(sandbox.namespace(), "mine-" + id);
        String rotationId = Rotations.newRotationId();
        log.startRotation(sandbox.client(), rotationId, credential,
                Rotations.redisAcl(List.of(Rotations.keys("mine-" + id, Map.of("password", "password")))));
        // The same rotation, but the record's spec adds another Secret: a forger widening what the writer touches.
        StepCompleted widened = Rotations.platformUpdated(rotationId, credential, Rotations.redisAcl(List.of(
                        Rotations.keys("mine-" + id, Map.of("password", "password")),
                        Rotations.keys("theirs-" + id, Map.of("password", "password")))),
                Map.of(CredentialField.PASSWORD, "attacker-chosen"), null);

        log.publish(widened);

        assertThat(log.refusals(rotationId, TIMEOUT)).containsExactly("SPEC_MISMATCH");
        assertThat(password("mine-" + id)).isEqualTo("old");
        assertThat(password("theirs-" + id)).isEqualTo("old");
    }

    private void createSecret(String name, String credentialName) {
        sandbox.client().secrets().resource(new SecretBuilder().withNewMetadata().withName(name)
                .addToLabels(ManagedCredentials.CREDENTIAL_LABEL, credentialName).endMetadata()
                .addToStringData("password", "old").build()).create();
    }

    private String password(String secret) {
        return new String(SecretData.of(sandbox.client().secrets().withName(secret).get()).get("password"),
                StandardCharsets.UTF_8);
    }

    private void started(StepCompleted platformUpdated) {
        log.startRotation(sandbox.client(), platformUpdated.rotationId(), platformUpdated.credential(),
                platformUpdated.spec());
    }
}
