package io.rotor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.Consumers;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.RestartStrategy;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.credential.WorkloadKind;
import io.rotor.contracts.credential.WorkloadRef;
import io.rotor.contracts.event.RollbackRequested;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.saga.Step;
import io.rotor.kit.secret.SecretData;
import io.rotor.testing.EventLog;
import io.rotor.testing.Rotations;
import io.rotor.testing.TestWorkloads;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubectlRolloutStatus;
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
 * Writer and restarter together, as the saga drives them: PLATFORM_UPDATED leads to SECRET_WRITTEN and then
 * WORKLOADS_RESTARTED; a RollbackRequested leads to SECRET_RESTORED and then WORKLOADS_RESTORED.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KubernetesSandboxTestResource.class)
class PipelineKafkaTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

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
    void aRotationIsWrittenAndRestartedAndARollbackRestoresAndRestartsAgain() {
        sandbox.client().secrets().resource(new SecretBuilder().withNewMetadata().withName("cache-" + id)
                .addToLabels(ManagedCredentials.CREDENTIAL_LABEL, "cache-" + id).endMetadata()
                .addToStringData("username", "app").addToStringData("password", "old-pw").build()).create();
        sandbox.client().resource(TestWorkloads.deployment("cache-client-" + id, 2, "cache-" + id)).create();
        awaitRolledOut("cache-client-" + id);
        CredentialRef credential = new CredentialRef(sandbox.namespace(), "cache-" + id);
        ManagedCredentialSpec spec = Rotations.spec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD,
                List.of(Rotations.keys("cache-" + id, Map.of("username", "username", "password", "password"))));
        StepCompleted platformUpdated = Rotations.platformUpdated(Rotations.newRotationId(), credential, spec,
                Map.of(CredentialField.PASSWORD, "new-pw"), Map.of(CredentialField.PASSWORD, "old-pw"));
        log.startRotation(sandbox.client(), platformUpdated.rotationId(), credential, spec);

        log.publish(platformUpdated);

        answer(platformUpdated.rotationId(), Step.SECRET_WRITTEN);
        StepCompleted restarted = answer(platformUpdated.rotationId(), Step.WORKLOADS_RESTARTED);
        assertThat(password("cache-" + id, "password")).isEqualTo("new-pw");
        assertThat(restartCount("cache-client-" + id)).isEqualTo(1);
        assertThat(restarted.previous()).isEqualTo(platformUpdated.previous());

        log.publish(new RollbackRequested(platformUpdated.rotationId(), credential, Step.WORKLOADS_RESTARTED, spec,
                platformUpdated.material(), platformUpdated.previous(), "the new password is refused by a client"));

        StepCompleted restored = answer(platformUpdated.rotationId(), Step.SECRET_RESTORED);
        StepCompleted restartedAgain = answer(platformUpdated.rotationId(), Step.WORKLOADS_RESTORED);
        assertThat(restored.details()).containsEntry("secret/cache-" + id + ".outcome", "restored");
        assertThat(password("cache-" + id, "password")).isEqualTo("old-pw");
        assertThat(password("cache-" + id, "username")).isEqualTo("app");
        assertThat(restartCount("cache-client-" + id)).as("restarted again onto the old value").isEqualTo(2);
        assertThat(restartedAgain.details()).containsKey("Deployment/cache-client-" + id);
    }

    /** Issue 9: the Config UI's Secret and Deployment, rotated with each restart strategy the product documents. */
    @Test
    void theConfigUiPasswordIsWrittenAndItsDeploymentRestartedByEachStrategy() {
        sandbox.load(getClass().getResourceAsStream("/k8s/configui.yaml"));
        awaitRolledOut("configui-deploy");
        CredentialRef credential = new CredentialRef(sandbox.namespace(), "configui-admin");
        for (RestartStrategy strategy : RestartStrategy.values()) {
            ManagedCredentialSpec spec = Rotations.spec(Platform.CONFIGUI, Strategy.MANUAL,
                    List.of(Rotations.keys("configui-user-secrets", Map.of("password", ".mlc_password"))), null,
                    new Consumers(List.of(new WorkloadRef(WorkloadKind.DEPLOYMENT, "configui-deploy")), null, strategy,
                            Duration.ofMinutes(2)));
            String password = "Adm1n-" + strategy.name().toLowerCase() + "-" + id;
            StepCompleted confirmed = Rotations.platformUpdated(Rotations.newRotationId(), credential, spec,
                    Map.of(CredentialField.PASSWORD, password), null);
            List<String> podsBefore = podUids("configui");
            log.startRotation(sandbox.client(), confirmed.rotationId(), credential, spec);

            log.publish(confirmed);

            StepCompleted restarted = answer(confirmed.rotationId(), Step.WORKLOADS_RESTARTED);
            assertThat(password("configui-user-secrets", ".mlc_password")).isEqualTo(password);
            assertThat(password("configui-user-secrets", ".mlc_server_secret")).isEqualTo("not-rotated");
            assertThat(restarted.details().get("Deployment/configui-deploy"))
                    .startsWith("strategy=" + switch (strategy) {
                        case ROLLOUT -> "rollout";
                        case DELETE_PODS -> "delete-pods";
                        case SCALE_TO_ZERO -> "scale-to-zero";
                    } + ";");
            assertThat(sandbox.client().apps().deployments().withName("configui-deploy").get().getSpec().getReplicas())
                    .isEqualTo(2);
            assertThat(podUids("configui")).hasSize(2).doesNotContainAnyElementsOf(podsBefore);
        }
    }

    private StepCompleted answer(String rotationId, Step step) {
        return log.await(StepCompleted.class, e -> e.rotationId().equals(rotationId) && e.step() == step, TIMEOUT);
    }

    private String password(String secret, String key) {
        return new String(SecretData.of(sandbox.client().secrets().withName(secret).get()).get(key), StandardCharsets.UTF_8);
    }

    private List<String> podUids(String app) {
        return sandbox.client().pods().withLabel("app", app).list().getItems().stream()
                .map(p -> p.getMetadata().getUid()).toList();
    }

    private void awaitRolledOut(String deployment) {
        await().atMost(TIMEOUT).until(() -> KubectlRolloutStatus.of(
                sandbox.client().apps().deployments().withName(deployment).get()).isComplete());
    }

    private int restartCount(String deployment) {
        return sandbox.controller().restartCount(
                io.rotor.testkit.kubernetes.WorkloadRef.deployment(sandbox.namespace(), deployment));
    }
}
