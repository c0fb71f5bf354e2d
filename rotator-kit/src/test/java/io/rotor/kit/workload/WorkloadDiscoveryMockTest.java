package io.rotor.kit.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.rotor.contracts.credential.Consumers;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.credential.WorkloadKind;
import io.rotor.contracts.credential.WorkloadRef;
import io.rotor.testkit.kubernetes.KubernetesSandboxExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Discovery against the Kubernetes sandbox: real list calls over Deployments, StatefulSets, DaemonSets, Jobs. */
class WorkloadDiscoveryMockTest {

    @RegisterExtension
    static final KubernetesSandboxExtension K8S = KubernetesSandboxExtension.withDefaults();

    private static CredentialRef credential;

    @BeforeAll
    static void load() {
        K8S.sandbox().load(WorkloadDiscoveryMockTest.class.getResourceAsStream("/k8s/readers.yaml"));
        credential = new CredentialRef(K8S.sandbox().namespace(), "app-db");
    }

    @Test
    void findsReadersByEnvEnvFromVolumeProjectedVolumeAndAnnotationAndIgnoresJobs() {
        List<ConsumerWorkload> found = new WorkloadDiscovery(K8S.client()).find(credential, spec(null));

        assertThat(found).containsExactly(
                new ConsumerWorkload(new WorkloadRef(WorkloadKind.DEPLOYMENT, "by-annotation"), Set.of(ConsumerReason.ANNOTATION), true),
                new ConsumerWorkload(new WorkloadRef(WorkloadKind.DEPLOYMENT, "by-env"), Set.of(ConsumerReason.ENV), true),
                new ConsumerWorkload(new WorkloadRef(WorkloadKind.DEPLOYMENT, "by-projected"), Set.of(ConsumerReason.PROJECTED_VOLUME), true),
                new ConsumerWorkload(new WorkloadRef(WorkloadKind.STATEFUL_SET, "by-env-from"), Set.of(ConsumerReason.ENV_FROM), true),
                new ConsumerWorkload(new WorkloadRef(WorkloadKind.DAEMON_SET, "by-volume"), Set.of(ConsumerReason.VOLUME), true));
    }

    @Test
    void namedWorkloadsAreAddedAndOnesThatDoNotExistAreFlagged() {
        List<ConsumerWorkload> found = new WorkloadDiscovery(K8S.client()).find(credential, spec(new Consumers(List.of(
                new WorkloadRef(WorkloadKind.DEPLOYMENT, "unrelated"),
                new WorkloadRef(WorkloadKind.DEPLOYMENT, "by-env"),
                new WorkloadRef(WorkloadKind.STATEFUL_SET, "not-deployed")), null, null, null)));

        assertThat(found).contains(
                new ConsumerWorkload(new WorkloadRef(WorkloadKind.DEPLOYMENT, "unrelated"), Set.of(ConsumerReason.NAMED), true),
                new ConsumerWorkload(new WorkloadRef(WorkloadKind.DEPLOYMENT, "by-env"),
                        Set.of(ConsumerReason.NAMED, ConsumerReason.ENV), true),
                new ConsumerWorkload(new WorkloadRef(WorkloadKind.STATEFUL_SET, "not-deployed"), Set.of(ConsumerReason.NAMED), false));
        assertThat(found).hasSize(7);
    }

    @Test
    void withDiscoveryOffOnlyNamedWorkloadsCount() {
        List<ConsumerWorkload> found = new WorkloadDiscovery(K8S.client()).find(credential, spec(new Consumers(List.of(
                new WorkloadRef(WorkloadKind.DAEMON_SET, "by-volume")), false, null, null)));

        assertThat(found).containsExactly(new ConsumerWorkload(new WorkloadRef(WorkloadKind.DAEMON_SET, "by-volume"),
                Set.of(ConsumerReason.NAMED), true));
    }

    @Test
    void anotherNamespaceIsNotSearched() {
        assertThat(new WorkloadDiscovery(K8S.client()).find(new CredentialRef("elsewhere", "app-db"), spec(null))).isEmpty();
    }

    @Test
    void aWorkloadAnOperatorControlsIsRestartedOnlyWhenNamedAndARedisEnterpriseClustersNodesNever() {
        // A RedisEnterpriseCluster's StatefulSet reads the cluster's own Secret; its operator rolls the nodes.
        StatefulSet nodes = new StatefulSetBuilder().withNewMetadata().withName("rec").addNewOwnerReference()
                .withApiVersion("app.redislabs.com/v1").withKind("RedisEnterpriseCluster").withName("rec")
                .withUid("4f7c2b1e-0000-4000-8000-000000000001").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withServiceName("rec").withNewSelector().addToMatchLabels("app", "rec").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "rec").endMetadata().withNewSpec()
                .addNewContainer().withName("node").withImage("example/rec:1").addNewEnvFrom().withNewSecretRef()
                .withName("rec-admin").endSecretRef().endEnvFrom().endContainer().endSpec().endTemplate().endSpec()
                .build();
        K8S.client().apps().statefulSets().inNamespace(K8S.sandbox().namespace()).resource(nodes).create();
        CredentialRef admin = new CredentialRef(K8S.sandbox().namespace(), "rec-admin");
        ManagedCredentialSpec discovered = specFor("rec-admin", null);

        assertThat(new WorkloadDiscovery(K8S.client()).find(admin, discovered)).isEmpty();
        assertThat(new WorkloadDiscovery(K8S.client()).find(admin, specFor("rec-admin", new Consumers(List.of(
                new WorkloadRef(WorkloadKind.STATEFUL_SET, "rec")), null, null, null))))
                .as("the cluster's own nodes, even when named").isEmpty();

        // Another operator's workload is restarted when the ManagedCredential names it.
        StatefulSet other = new StatefulSetBuilder(nodes).editMetadata().withName("queue").withOwnerReferences()
                .addNewOwnerReference().withApiVersion("queues.example.com/v1").withKind("Queue").withName("q")
                .withUid("4f7c2b1e-0000-4000-8000-000000000002").withController(true).endOwnerReference()
                .endMetadata().build();
        K8S.client().apps().statefulSets().inNamespace(K8S.sandbox().namespace()).resource(other).create();
        assertThat(new WorkloadDiscovery(K8S.client()).find(admin, discovered)).isEmpty();
        assertThat(new WorkloadDiscovery(K8S.client()).find(admin, specFor("rec-admin", new Consumers(List.of(
                new WorkloadRef(WorkloadKind.STATEFUL_SET, "queue")), null, null, null))))
                .containsExactly(new ConsumerWorkload(new WorkloadRef(WorkloadKind.STATEFUL_SET, "queue"),
                        Set.of(ConsumerReason.NAMED), true));
    }

    private static ManagedCredentialSpec specFor(String secret, Consumers consumers) {
        return new ManagedCredentialSpec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD, null, null, List.of(
                new SecretTarget(secret, SecretFormat.KEYS, Map.of("password", "password"), null, null, null, null)),
                null, consumers, null, null, null, null, null, null);
    }

    private static ManagedCredentialSpec spec(Consumers consumers) {
        return new ManagedCredentialSpec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD, null, null, List.of(
                new SecretTarget("app-db", SecretFormat.KEYS, Map.of("password", "password"), null, null, null, null),
                new SecretTarget("app-db-files", SecretFormat.TEMPLATE, null, "users.acl", null, "user app on >{{password}}", null)),
                null, consumers, null, null, null, null, null, null);
    }
}
