package io.rotor.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.secret.SecretLayout;
import io.rotor.testing.Rotations;
import io.rotor.testing.WriterConfigs;
import io.rotor.testkit.kubernetes.KubernetesSandboxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Figures, not assertions on time, printed to the test log as {@code BENCH ...} lines. */
class SecretWriterBenchmarkMockTest {

    private static final Logger LOG = Logger.getLogger(SecretWriterBenchmarkMockTest.class);

    @RegisterExtension
    static final KubernetesSandboxExtension K8S = KubernetesSandboxExtension.with(b -> b.withoutController());

    @Test
    void writingFiftySecretsAndRedeliveringTheEvent() {
        List<SecretTarget> targets = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            K8S.client().secrets().resource(new SecretBuilder().withNewMetadata().withName("bench-" + i)
                    .addToLabels(ManagedCredentials.CREDENTIAL_LABEL, "bench").endMetadata()
                    .addToStringData("password", "old").build()).create();
            targets.add(Rotations.keys("bench-" + i, Map.of("password", "password")));
        }
        TestWriter writer = TestWriter.of(K8S.client(), WriterConfigs.fast(), Clock.systemUTC());
        StepCompleted event = Rotations.platformUpdated(Rotations.newRotationId(),
                new CredentialRef(K8S.sandbox().namespace(), "bench"), Rotations.redisAcl(targets),
                Map.of(CredentialField.PASSWORD, "new"), null);

        long t0 = System.nanoTime();
        assertThat(writer.write(event)).isInstanceOf(StepCompleted.class);
        long t1 = System.nanoTime();
        assertThat(writer.write(event)).isInstanceOf(StepCompleted.class);
        long t2 = System.nanoTime();

        LOG.infof("BENCH writer: 50 Secrets written in %d ms (%.1f ms each: read, previous version, update, prune); "
                + "the redelivered event in %d ms (reads only)", (t1 - t0) / 1_000_000, (t1 - t0) / 50e6,
                (t2 - t1) / 1_000_000);
    }

    @Test
    void editingACloudsYamlInPlace() {
        SecretLayout layout = SecretLayout.of(new SecretTarget("s", SecretFormat.CLOUDS_YAML, null, null, "prod", null, null));
        Map<String, byte[]> data = Map.of("clouds.yaml", CloudsYamlFixture.THREE_CLOUDS.getBytes(StandardCharsets.UTF_8));
        Map<CredentialField, SecretValue> fields = Map.of(CredentialField.PASSWORD, SecretValue.of("n3w"));
        // The edit being timed must be the real one: the chosen cloud's password changed, the others' kept.
        String edited = new String(layout.write(data, fields).get("clouds.yaml"), StandardCharsets.UTF_8);
        assertThat(edited).contains("n3w").doesNotContain("old-prod-secret").contains("dev-secret")
                .contains("stg-secret");
        for (int i = 0; i < 500; i++) {
            layout.write(data, fields);
        }
        int n = 2_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            layout.write(data, fields);
        }
        long t1 = System.nanoTime();

        LOG.infof("BENCH clouds-yaml: %.1f µs per in-place edit including the re-parse check (%d edits)",
                (t1 - t0) / 1e3 / n, n);
    }
}
