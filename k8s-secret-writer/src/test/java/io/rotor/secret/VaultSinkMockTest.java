package io.rotor.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretKeyRef;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.credential.VaultTarget;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import io.rotor.testing.MutableClock;
import io.rotor.testing.Rotations;
import io.rotor.testing.WriterConfigs;
import io.rotor.testkit.kubernetes.KubernetesSandboxExtension;
import io.rotor.testkit.vault.FakeVaultKv2;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Vault KV v2 copy, against the stateful fake of the KV v2 API (token from a Secret in the sandbox). */
class VaultSinkMockTest {

    @RegisterExtension
    static final KubernetesSandboxExtension K8S = KubernetesSandboxExtension.with(b -> b.withoutController());

    private final FakeVaultKv2 vault = FakeVaultKv2.builder().token("vault-token").start();
    private final MutableClock clock = MutableClock.startingNow();
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String kvPath = "redisenterprise-" + id + "/rec";
    private final CredentialRef credential = new CredentialRef(K8S.sandbox().namespace(), "rec-" + id);
    private final TestWriter writer = TestWriter.of(K8S.client(), WriterConfigs.fast(), clock);

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void writesUsernameAndPasswordAtThePathAndKeepsOtherKeys() {
        token("vault-token");
        vault.put("secret", kvPath, Map.of("username", "admin@example.com", "password", "old", "note", "kept"));

        RotorEvent answer = writer.write(rotation(Rotations.newRotationId(), "n3w"));

        assertThat(answer).isInstanceOfSatisfying(StepCompleted.class, done -> assertThat(done.details())
                .containsEntry("vault/secret/data/" + kvPath, "2")
                .containsEntry("vault/secret/data/" + kvPath + ".outcome", "written"));
        assertThat(vault.current("secret", kvPath)).get().extracting(FakeVaultKv2.Version::data)
                .isEqualTo(Map.of("username", "admin@example.com", "password", "n3w", "note", "kept"));
    }

    @Test
    void aRedeliveredEventWritesNoSecondVersion() {
        token("vault-token");
        vault.put("secret", kvPath, Map.of("username", "admin@example.com", "password", "old"));
        StepCompleted event = rotation(Rotations.newRotationId(), "n3w");
        writer.write(event);

        StepCompleted again = (StepCompleted) writer.write(event);

        assertThat(again.details()).containsEntry("vault/secret/data/" + kvPath + ".outcome", "unchanged");
        assertThat(vault.writeCount("secret", kvPath)).isEqualTo(1);
    }

    @Test
    void aConcurrentWriterCausesARetryOnTopOfItsVersion() {
        token("vault-token");
        vault.put("secret", kvPath, Map.of("username", "admin@example.com", "password", "old"));
        vault.interleaveBeforeNextWrite("secret", kvPath, Map.of("username", "admin@example.com", "password", "old",
                "addedBy", "someone else"));

        writer.write(rotation(Rotations.newRotationId(), "n3w"));

        assertThat(vault.current("secret", kvPath)).get().satisfies(v -> {
            assertThat(v.number()).isEqualTo(3);
            assertThat(v.data()).containsEntry("password", "n3w").containsEntry("addedBy", "someone else");
        });
    }

    @Test
    void aSealedVaultIsRetriedWithBackoff() {
        token("vault-token");
        vault.failNext(503, 2);

        RotorEvent answer = writer.write(rotation(Rotations.newRotationId(), "n3w"));

        assertThat(answer).isInstanceOf(StepCompleted.class);
        assertThat(vault.current("secret", kvPath)).get().extracting(v -> v.data().get("password")).isEqualTo("n3w");
    }

    @Test
    void aVaultThatStaysDownIsAFailureSayingSo() {
        token("vault-token");
        vault.failNext(503, 50);

        RotorEvent answer = writer.write(rotation(Rotations.newRotationId(), "n3w"));

        assertThat(answer).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.errorCode()).isEqualTo("vault_unavailable");
            assertThat(f.message()).contains("Vault is sealed").doesNotContain("n3w");
        });
    }

    @Test
    void aRefusedTokenIsAPermanentFailureNamingThePolicyNeeded() {
        token("wrong-token");

        RotorEvent answer = writer.write(rotation(Rotations.newRotationId(), "n3w"));

        assertThat(answer).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.errorCode()).isEqualTo("vault_forbidden");
            assertThat(f.message()).contains("permission denied").contains("secret/data/" + kvPath)
                    .doesNotContain("wrong-token");
        });
    }

    @Test
    void aMissingTokenSecretIsAClearFailure() {
        RotorEvent answer = writer.write(rotation(Rotations.newRotationId(), "n3w"));

        assertThat(answer).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.errorCode()).isEqualTo("secret_not_found");
            assertThat(f.message()).contains("Vault token").contains("vault-" + id);
        });
    }

    @Test
    void rollbackWritesThePreviousVersionBackOnlyWhileTheRotationsValueIsCurrent() {
        token("vault-token");
        vault.put("secret", kvPath, Map.of("username", "admin@example.com", "password", "old"));
        StepCompleted forward = rotation(Rotations.newRotationId(), "n3w");
        writer.write(forward);

        StepCompleted restored = (StepCompleted) writer.restore(Rotations.rollback(forward, Step.WORKLOADS_RESTARTED));
        StepCompleted again = (StepCompleted) writer.restore(Rotations.rollback(forward, Step.WORKLOADS_RESTARTED));

        assertThat(restored.details()).containsEntry("vault/secret/data/" + kvPath + ".outcome", "restored");
        assertThat(again.details()).containsEntry("vault/secret/data/" + kvPath + ".outcome", "not_written_by_rotation");
        assertThat(vault.current("secret", kvPath)).get().satisfies(v -> {
            assertThat(v.number()).isEqualTo(3);
            assertThat(v.data()).containsEntry("password", "old");
        });
    }

    @Test
    void rollbackDeletesAPathTheRotationCreated() {
        token("vault-token");
        StepCompleted forward = rotation(Rotations.newRotationId(), "n3w");
        writer.write(forward);

        StepCompleted restored = (StepCompleted) writer.restore(Rotations.rollback(forward, Step.SECRET_WRITTEN));

        assertThat(restored.details()).containsEntry("vault/secret/data/" + kvPath + ".outcome", "deleted");
        assertThat(vault.current("secret", kvPath)).isEmpty();
    }

    @Test
    void anUnusableCaBundleIsAClearFailure() {
        token("vault-token");
        K8S.client().secrets().resource(new SecretBuilder().withNewMetadata().withName("ca-" + id).endMetadata()
                .addToStringData("ca.crt", "not a certificate").build()).create();
        VaultTarget target = new VaultTarget(vault.address(), "secret/data/" + kvPath,
                new SecretKeyRef("vault-" + id, "token"), new SecretKeyRef("ca-" + id, "ca.crt"));

        RotorEvent answer = writer.write(rotation(Rotations.newRotationId(), "n3w", target));

        assertThat(answer).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.errorCode()).isEqualTo("vault_rejected");
            assertThat(f.message()).contains("CA bundle").contains("ca-" + id);
        });
    }

    private StepCompleted rotation(String rotationId, String password) {
        return rotation(rotationId, password, new VaultTarget(vault.address(), "secret/data/" + kvPath,
                new SecretKeyRef("vault-" + id, "token"), null));
    }

    private StepCompleted rotation(String rotationId, String password, VaultTarget target) {
        K8S.client().secrets().resource(new SecretBuilder().withNewMetadata().withName("rec-" + id)
                .addToLabels(ManagedCredentials.CREDENTIAL_LABEL, credential.name()).endMetadata()
                .addToStringData("username", "admin@example.com").addToStringData("password", "old").build())
                .createOr(o -> o.update());
        ManagedCredentialSpec spec = Rotations.spec(Platform.REDIS_ENTERPRISE, Strategy.DUAL_PASSWORD,
                List.of(Rotations.keys("rec-" + id, Map.of("username", "username", "password", "password"))), target, null);
        return Rotations.platformUpdated(rotationId, credential, spec, Map.of(CredentialField.PASSWORD, password),
                Map.of(CredentialField.PASSWORD, "old"));
    }

    private void token(String token) {
        K8S.client().secrets().resource(new SecretBuilder().withNewMetadata().withName("vault-" + id).endMetadata()
                .addToStringData("token", token + "\n").build()).create();
    }
}
