package io.rotor.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.Consumers;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.RestartStrategy;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.credential.WorkloadKind;
import io.rotor.contracts.credential.WorkloadRef;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.event.Topics;
import io.rotor.contracts.saga.Step;
import io.rotor.testing.EventLog;
import io.rotor.testing.Rotations;
import io.rotor.testing.TestWorkloads;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubectlRolloutStatus;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The restarter as a service: SECRET_WRITTEN in through a real broker, workloads in the sandbox, answers out. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KubernetesSandboxTestResource.class)
class PodRestarterKafkaTest {

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
    void secretWrittenIsAnsweredWithWorkloadsRestartedOnceEveryReaderIsReadyAndJobsAreLeftAlone() {
        sandbox.client().resource(TestWorkloads.deployment("app-" + id, 2, "s-" + id)).create();
        sandbox.client().resource(new JobBuilder().withNewMetadata().withName("migrate-" + id).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer()
                .withName("m").withImage("example/m:1").addNewEnvFrom().withNewSecretRef().withName("s-" + id)
                .endSecretRef().endEnvFrom().endContainer().endSpec().endTemplate().endSpec().build()).create();
        awaitRolledOut("app-" + id);
        StepCompleted written = secretWritten(credential("app"), consumers(null, null), "s-" + id);

        log.publish(written);

        StepCompleted restarted = awaitAnswer(written, Step.WORKLOADS_RESTARTED);
        assertThat(restarted.details()).containsEntry("workloads", "1")
                .hasEntrySatisfying("Deployment/app-" + id, v -> assertThat(v).startsWith("strategy=rollout;")
                        .contains(";took=PT").contains(";rotations=1"));
        assertThat(restarted.material()).isEqualTo(written.material());
        assertThat(restartCount("app-" + id)).isEqualTo(1);
        assertThat(KubectlRolloutStatus.of(sandbox.client().apps().deployments().withName("app-" + id).get()).isComplete())
                .isTrue();
        assertThat(sandbox.client().batch().v1().jobs().withName("migrate-" + id).get().getMetadata().getAnnotations())
                .as("a Job is never restarted").isNullOrEmpty();
    }

    @Test
    void fiftySecretsOfOneDeploymentRotatedTogetherRestartItOnce() throws Exception {
        List<EnvVar> env = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            env.add(new EnvVarBuilder().withName("PW_" + i).withNewValueFrom().withNewSecretKeyRef()
                    .withName("s" + i + "-" + id).withKey("password").endSecretKeyRef().endValueFrom().build());
        }
        Deployment bulk = new DeploymentBuilder(TestWorkloads.deployment("bulk-" + id, 2, "unused"))
                .editSpec().editTemplate().editSpec().editFirstContainer().withEnv(env).endContainer().endSpec()
                .endTemplate().endSpec().build();
        sandbox.client().resource(bulk).create();
        awaitRolledOut("bulk-" + id);
        List<StepCompleted> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(secretWritten(new CredentialRef(sandbox.namespace(), "c" + i + "-" + id), consumers(null, null),
                    "s" + i + "-" + id));
        }

        List<Future<RecordMetadata>> sent = new ArrayList<>();
        events.forEach(e -> sent.add(log.publishAsync(e)));
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }

        for (StepCompleted e : events) {
            assertThat(awaitAnswer(e, Step.WORKLOADS_RESTARTED).details().get("Deployment/bulk-" + id))
                    .contains(";rotations=50");
        }
        assertThat(restartCount("bulk-" + id)).isEqualTo(1);
    }

    @Test
    void aRedeliveredSecretWrittenIsAnsweredAgainWithoutASecondRestart() {
        sandbox.client().resource(TestWorkloads.deployment("app-" + id, 1, "s-" + id)).create();
        awaitRolledOut("app-" + id);
        StepCompleted written = secretWritten(credential("app"), consumers(null, null), "s-" + id);
        log.publish(written);
        awaitAnswer(written, Step.WORKLOADS_RESTARTED);

        log.publish(written);

        await().atMost(TIMEOUT).until(() -> log.all(e -> e instanceof StepCompleted c
                && c.rotationId().equals(written.rotationId()) && c.step() == Step.WORKLOADS_RESTARTED,
                Duration.ofMillis(200)).size() == 2);
        assertThat(restartCount("app-" + id)).isEqualTo(1);
    }

    @Test
    void aFailedRolloutIsAnsweredWithAPermanentStepFailed() {
        sandbox.client().resource(TestWorkloads.deployment("app-" + id, 2, "s-" + id)).create();
        awaitRolledOut("app-" + id);
        sandbox.controller().failRollouts(io.rotor.testkit.kubernetes.WorkloadRef.deployment(sandbox.namespace(), "app-" + id));
        StepCompleted written = secretWritten(credential("app"), consumers(null, null), "s-" + id);

        log.publish(written);

        StepFailed failed = log.await(StepFailed.class, f -> f.rotationId().equals(written.rotationId()), TIMEOUT);
        assertThat(failed.step()).isEqualTo(Step.WORKLOADS_RESTARTED);
        assertThat(failed.errorCode()).isEqualTo("progress_deadline_exceeded");
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.message()).contains("app-" + id);
    }

    @Test
    void aNamedWorkloadThatDoesNotExistIsAnsweredWithStepFailed() {
        StepCompleted written = secretWritten(credential("ghost"), consumers(
                List.of(new WorkloadRef(WorkloadKind.DEPLOYMENT, "ghost-" + id)), null), "s-" + id);

        log.publish(written);

        StepFailed failed = log.await(StepFailed.class, f -> f.rotationId().equals(written.rotationId()), TIMEOUT);
        assertThat(failed.errorCode()).isEqualTo("workload_not_found");
        assertThat(failed.message()).contains("ghost-" + id);
    }

    @Test
    void theOffsetIsCommittedOnlyAfterTheAnswerSoAStopMidRolloutLosesNothing() throws Exception {
        sandbox.client().resource(TestWorkloads.statefulSet("db-" + id, 1, "s-" + id)).create();
        await().atMost(TIMEOUT).until(() -> KubectlRolloutStatus.of(
                sandbox.client().apps().statefulSets().withName("db-" + id).get()).isComplete());
        var ref = io.rotor.testkit.kubernetes.WorkloadRef.statefulSet(sandbox.namespace(), "db-" + id);
        sandbox.controller().failRollouts(ref);
        StepCompleted written = secretWritten(credential("db"), consumers(null, null), "s-" + id);

        RecordMetadata record = log.publish(written);
        TopicPartition partition = new TopicPartition(StepProducer.SECRET_WRITER.topic(), record.partition());

        await().atMost(TIMEOUT).until(() -> restartCountOf(ref) == 1);
        Thread.sleep(2_500); // over two commit intervals: an offset past the record would have been committed by now
        assertThat(committed(partition)).as("committed while the rollout is still running")
                .isLessThanOrEqualTo(record.offset());

        sandbox.controller().recoverRollouts(ref);
        awaitAnswer(written, Step.WORKLOADS_RESTARTED);
        await().atMost(TIMEOUT).until(() -> committed(partition) > record.offset());
    }

    @Test
    void aForgedSecretWrittenRestartsNothingAndIsRefusedToTheDlq() {
        sandbox.client().resource(TestWorkloads.deployment("victim-" + id, 1, "s-" + id)).create();
        awaitRolledOut("victim-" + id);
        ManagedCredentialSpec spec = Rotations.spec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD,
                List.of(Rotations.keys("s-" + id, Map.of("password", "password"))), null,
                consumers(List.of(new WorkloadRef(WorkloadKind.DEPLOYMENT, "victim-" + id)), RestartStrategy.SCALE_TO_ZERO));
        StepCompleted forged = Rotations.secretWritten(Rotations.newRotationId(), credential("forged"), spec);

        log.publish(forged);

        assertThat(log.refusals(forged.rotationId(), TIMEOUT)).containsExactly("NOT_CURRENT");
        assertThat(restartCount("victim-" + id)).isZero();
        assertThat(sandbox.client().apps().deployments().withName("victim-" + id).get().getSpec().getReplicas())
                .isEqualTo(1);
    }

    @Test
    void aSecretWrittenNamingAWorkloadTheStartedSpecDoesNotIsRefused() {
        sandbox.client().resource(TestWorkloads.deployment("victim-" + id, 1, "other-" + id)).create();
        awaitRolledOut("victim-" + id);
        StepCompleted honest = secretWritten(credential("app"), consumers(null, null), "s-" + id);
        ManagedCredentialSpec widened = Rotations.spec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD,
                honest.spec().secretList(), null,
                consumers(List.of(new WorkloadRef(WorkloadKind.DEPLOYMENT, "victim-" + id)), null));

        log.publish(Rotations.secretWritten(honest.rotationId(), honest.credential(), widened));

        assertThat(log.refusals(honest.rotationId(), TIMEOUT)).containsExactly("SPEC_MISMATCH");
        assertThat(restartCount("victim-" + id)).isZero();
    }

    private CredentialRef credential(String name) {
        return new CredentialRef(sandbox.namespace(), name + "-" + id);
    }

    private static Consumers consumers(List<WorkloadRef> named, RestartStrategy strategy) {
        return new Consumers(named, null, strategy, Duration.ofMinutes(2));
    }

    private StepCompleted secretWritten(CredentialRef credential, Consumers consumers, String secret) {
        ManagedCredentialSpec spec = Rotations.spec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD,
                List.of(Rotations.keys(secret, Map.of("password", "password"))), null, consumers);
        String rotationId = Rotations.newRotationId();
        log.startRotation(sandbox.client(), rotationId, credential, spec);
        return Rotations.secretWritten(rotationId, credential, spec);
    }

    private StepCompleted awaitAnswer(StepCompleted request, Step step) {
        return log.await(StepCompleted.class, e -> e.rotationId().equals(request.rotationId())
                && e.credential().equals(request.credential()) && e.step() == step, TIMEOUT);
    }

    private void awaitRolledOut(String deployment) {
        await().atMost(TIMEOUT).until(() -> KubectlRolloutStatus.of(
                sandbox.client().apps().deployments().withName(deployment).get()).isComplete());
    }

    private int restartCount(String deployment) {
        return restartCountOf(io.rotor.testkit.kubernetes.WorkloadRef.deployment(sandbox.namespace(), deployment));
    }

    private int restartCountOf(io.rotor.testkit.kubernetes.WorkloadRef ref) {
        return sandbox.controller().restartCount(ref);
    }

    private long committed(TopicPartition partition) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("rotor-pod-restarter")
                    .partitionsToOffsetAndMetadata().get();
            OffsetAndMetadata offset = offsets.get(partition);
            return offset == null ? -1 : offset.offset();
        }
    }
}
