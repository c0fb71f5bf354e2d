package io.rotor.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;

class FakeWorkloadControllerMockTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    final KubernetesSandboxExtension k8s = KubernetesSandboxExtension.with(sandbox -> sandbox
            .controllerOptions(FakeWorkloadController.Options.defaults().withNodeCount(2)));

    @Test
    void newDeploymentRollsOutToReadyPodsOwnedByAReplicaSet() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.deployment("web", 2)).create();

        Deployment done = awaitRolledOut("web");

        assertThat(done.getStatus().getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
        assertThat(done.getStatus().getUpdatedReplicas()).isEqualTo(2);
        assertThat(done.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(done.getStatus().getAvailableReplicas()).isEqualTo(2);
        assertThat(condition(done, "Available").getStatus()).isEqualTo("True");
        assertThat(condition(done, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(done.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");

        List<ReplicaSet> replicaSets = client.apps().replicaSets().list().getItems();
        assertThat(replicaSets).hasSize(1);
        ReplicaSet rs = replicaSets.get(0);
        String hash = rs.getMetadata().getLabels().get("pod-template-hash");
        assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(rs.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(done.getMetadata().getUid()));

        List<Pod> pods = podsOf("web");
        assertThat(pods).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getMetadata().getName()).startsWith("web-" + hash + "-");
            assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web").containsEntry("pod-template-hash",
                    hash);
            assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(owner -> assertThat(owner.getName()).isEqualTo(rs.getMetadata().getName()));
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(Pods.isReady(pod)).isTrue();
        });
    }

    @Test
    void rolloutRestartReplacesEveryPodAndCountsOneRestart() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.deployment("web", 2)).create();
        awaitRolledOut("web");
        Set<String> before = podNames("web");

        Deployment restarted = client.apps().deployments().withName("web").rolling().restart();
        assertThat(restarted.getMetadata().getGeneration()).isEqualTo(2);

        Deployment done = awaitRolledOut("web");
        assertThat(done.getStatus().getObservedGeneration()).isEqualTo(2);
        assertThat(done.getStatus().getUpdatedReplicas()).isEqualTo(2);
        assertThat(done.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(done.getStatus().getAvailableReplicas()).isEqualTo(2);
        assertThat(done.getStatus().getReplicas()).isEqualTo(2);
        assertThat(done.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
        assertThat(podNames("web")).hasSize(2).doesNotContainAnyElementsOf(before);
        assertThat(podsOf("web")).allSatisfy(pod -> assertThat(pod.getMetadata().getAnnotations())
                .containsKey("kubectl.kubernetes.io/restartedAt"));
        assertThat(k8s.sandbox().controller().restartCount(WorkloadRef.deployment(k8s.sandbox().namespace(), "web")))
                .isEqualTo(1);
        assertThat(client.apps().replicaSets().list().getItems())
                .extracting(rs -> rs.getSpec().getReplicas())
                .containsExactlyInAnyOrder(0, 2);
    }

    @Test
    void rolloutWithAStepDelayPassesThroughTheStatesKubectlReportsAsInProgress() throws Exception {
        try (KubernetesSandbox sandbox = KubernetesSandbox.builder()
                .controllerOptions(FakeWorkloadController.Options.defaults().withStepDelay(Duration.ofMillis(150)))
                .start()) {
            KubernetesClient client = sandbox.client();
            client.resource(Workloads.deployment("web", 2)).create();
            await().atMost(TIMEOUT).until(() -> verdict(client, "web").isComplete());

            List<String> seen = new CopyOnWriteArrayList<>();
            Watch watch = client.apps().deployments().withName("web").watch(recorder(seen));
            try {
                client.apps().deployments().withName("web").rolling().restart();
                await().atMost(TIMEOUT).until(() -> seen.stream().anyMatch(m -> m.contains("successfully rolled out"))
                        && verdict(client, "web").isComplete());
            } finally {
                watch.close();
            }
            assertThat(seen).anyMatch(m -> m.contains("1 out of 2 new replicas have been updated"));
            assertThat(seen).anyMatch(m -> m.contains("old replicas are pending termination"));
            assertThat(seen.get(seen.size() - 1)).contains("successfully rolled out");
        }
    }

    @Test
    void failedRolloutReportsProgressDeadlineExceededAndKeepsOldPodsServing() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.deployment("web", 2)).create();
        awaitRolledOut("web");
        WorkloadRef web = WorkloadRef.deployment(k8s.sandbox().namespace(), "web");

        k8s.sandbox().controller().failRollouts(web);
        client.apps().deployments().withName("web").rolling().restart();

        await().atMost(TIMEOUT).until(() -> verdict(client, "web").state() == KubectlRolloutStatus.State.FAILED);
        Deployment stuck = client.apps().deployments().withName("web").get();
        DeploymentCondition progressing = condition(stuck, "Progressing");
        assertThat(progressing.getStatus()).isEqualTo("False");
        assertThat(progressing.getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(stuck.getStatus().getObservedGeneration()).isEqualTo(stuck.getMetadata().getGeneration());
        assertThat(stuck.getStatus().getUpdatedReplicas()).isLessThan(2);
        assertThat(stuck.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(condition(stuck, "Available").getStatus()).isEqualTo("True");

        k8s.sandbox().controller().recoverRollouts(web);
        Deployment recovered = awaitRolledOut("web");
        assertThat(condition(recovered, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
    }

    @Test
    void anAnnotationFailsTheFirstRestartsOnlySoARollbackRestartSucceeds() {
        KubernetesClient client = k8s.client();
        Deployment web = Workloads.deployment("web", 2);
        web.getMetadata().setAnnotations(Map.of(FakeWorkloadController.FAIL_ROLLOUTS_ANNOTATION, "1"));
        client.resource(web).create();
        awaitRolledOut("web");

        client.apps().deployments().withName("web").rolling().restart();
        await().atMost(TIMEOUT).until(() -> verdict(client, "web").state() == KubectlRolloutStatus.State.FAILED);

        client.apps().deployments().withName("web").rolling().restart();
        Deployment recovered = awaitRolledOut("web");
        assertThat(condition(recovered, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
    }

    @Test
    void deletedPodsAreRecreatedUnderNewNamesWithoutCountingARestart() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.deployment("web", 2)).create();
        awaitRolledOut("web");
        String first = podNames("web").iterator().next();

        client.pods().withName(first).delete();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<Pod> pods = podsOf("web");
            assertThat(pods).hasSize(2).allMatch(Pods::isReady);
            assertThat(pods).extracting(p -> p.getMetadata().getName()).doesNotContain(first);
        });

        Set<String> deleted = podNames("web");
        client.pods().withLabel("app", "web").delete();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<Pod> pods = podsOf("web");
            assertThat(pods).hasSize(2).allMatch(Pods::isReady);
            assertThat(pods).extracting(p -> p.getMetadata().getName()).doesNotContainAnyElementsOf(deleted);
        });
        assertThat(awaitRolledOut("web").getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(k8s.sandbox().controller().restartCount(WorkloadRef.deployment(k8s.sandbox().namespace(), "web")))
                .isZero();
    }

    @Test
    void scaleToZeroRemovesPodsAndScalingBackBringsReadyPods() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.deployment("configui", 2)).create();
        awaitRolledOut("configui");
        RollableScalableResource<Deployment> configui = client.apps().deployments().withName("configui");

        configui.scale(0);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(podsOf("configui")).isEmpty();
            Deployment scaledDown = configui.get();
            assertThat(scaledDown.getStatus().getReplicas()).as("zero counts are omitted").isNull();
            assertThat(KubectlRolloutStatus.of(scaledDown).isComplete()).isTrue();
        });

        configui.scale(2);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(podsOf("configui")).hasSize(2).allMatch(Pods::isReady);
            Deployment scaledUp = configui.get();
            assertThat(scaledUp.getStatus().getReadyReplicas()).isEqualTo(2);
            assertThat(KubectlRolloutStatus.of(scaledUp).isComplete()).isTrue();
        });
        assertThat(k8s.sandbox().controller().restartCount(WorkloadRef.deployment(k8s.sandbox().namespace(),
                "configui"))).isZero();
    }

    @Test
    void statefulSetRollsOutByOrdinalAndMovesCurrentRevisionToTheUpdateRevision() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.statefulSet("cache", 3)).create();
        StatefulSet created = awaitStatefulSetRolledOut("cache");
        String firstRevision = created.getStatus().getUpdateRevision();
        assertThat(created.getStatus().getCurrentRevision()).isEqualTo(firstRevision);
        assertThat(podNames("cache")).containsExactlyInAnyOrder("cache-0", "cache-1", "cache-2");
        Set<String> uidsBefore = podsOf("cache").stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());

        client.apps().statefulSets().withName("cache").rolling().restart();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatefulSet set = client.apps().statefulSets().withName("cache").get();
            assertThat(set.getStatus().getUpdateRevision()).isNotEqualTo(firstRevision);
            assertThat(KubectlRolloutStatus.of(set).isComplete()).isTrue();
            assertThat(set.getStatus().getCurrentRevision()).isEqualTo(set.getStatus().getUpdateRevision());
            assertThat(set.getStatus().getUpdatedReplicas()).isEqualTo(3);
            assertThat(set.getStatus().getReadyReplicas()).isEqualTo(3);
        });
        String newRevision = client.apps().statefulSets().withName("cache").get().getStatus().getUpdateRevision();
        assertThat(podsOf("cache")).hasSize(3).allSatisfy(pod -> {
            assertThat(pod.getMetadata().getLabels()).containsEntry("controller-revision-hash", newRevision);
            assertThat(pod.getMetadata().getUid()).isNotIn(uidsBefore);
        });
        assertThat(k8s.sandbox().controller().restartCount(WorkloadRef.statefulSet(k8s.sandbox().namespace(),
                "cache"))).isEqualTo(1);
    }

    @Test
    void deletedStatefulSetPodComesBackUnderTheSameName() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.statefulSet("cache", 2)).create();
        awaitStatefulSetRolledOut("cache");
        String oldUid = client.pods().withName("cache-1").get().getMetadata().getUid();

        client.pods().withName("cache-1").delete();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            Pod pod = client.pods().withName("cache-1").get();
            assertThat(pod).isNotNull();
            assertThat(pod.getMetadata().getUid()).isNotEqualTo(oldUid);
            assertThat(Pods.isReady(pod)).isTrue();
        });
    }

    @Test
    void statefulSetRecreatedUnderTheSameNameGetsFreshPods() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.statefulSet("cache", 2)).create();
        awaitStatefulSetRolledOut("cache");

        client.apps().statefulSets().withName("cache").delete();
        String newUid = client.resource(Workloads.statefulSet("cache", 2)).create().getMetadata().getUid();

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(podsOf("cache")).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(newUid);
            assertThat(Pods.isReady(pod)).isTrue();
        }));
    }

    @Test
    void daemonSetRunsOnePodPerFakeNodeAndRollsThemOnRestart() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.daemonSet("agent")).create();
        await().atMost(TIMEOUT).until(() -> KubectlRolloutStatus.of(client.apps().daemonSets().withName("agent")
                .get()).isComplete());
        assertThat(podsOf("agent")).extracting(p -> p.getSpec().getNodeName())
                .containsExactlyInAnyOrder("sandbox-node-0", "sandbox-node-1");
        Set<String> before = podNames("agent");

        client.apps().daemonSets().withName("agent").edit(ds -> {
            ds.getSpec().getTemplate().getMetadata().getAnnotations().put("restart", "1");
            return ds;
        });

        await().atMost(TIMEOUT).untilAsserted(() -> {
            var set = client.apps().daemonSets().withName("agent").get();
            assertThat(set.getStatus().getObservedGeneration()).isEqualTo(2);
            assertThat(KubectlRolloutStatus.of(set).isComplete()).isTrue();
            assertThat(podNames("agent")).hasSize(2).doesNotContainAnyElementsOf(before);
        });
    }

    @Test
    void deletingADeploymentRemovesItsReplicaSetsAndPods() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.deployment("web", 2)).create();
        awaitRolledOut("web");

        client.apps().deployments().withName("web").delete();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(client.apps().replicaSets().list().getItems()).isEmpty();
            assertThat(client.pods().list().getItems()).isEmpty();
        });
    }

    @Test
    void aClientWritingAStaleStatusCannotUndoTheControllersStatus() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.deployment("web", 1)).create();
        Deployment done = awaitRolledOut("web");

        client.apps().deployments().withName("web").edit(d -> {
            d.getStatus().setReadyReplicas(0);
            d.getMetadata().getLabels().put("edited", "yes");
            return d;
        });

        Deployment after = client.apps().deployments().withName("web").get();
        assertThat(after.getMetadata().getLabels()).containsEntry("edited", "yes");
        assertThat(after.getStatus()).isEqualTo(done.getStatus());
    }

    private Deployment awaitRolledOut(String name) {
        KubernetesClient client = k8s.client();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            KubectlRolloutStatus.Verdict verdict = verdict(client, name);
            assertThat(verdict.state()).as(verdict.message()).isEqualTo(KubectlRolloutStatus.State.COMPLETE);
        });
        return client.apps().deployments().withName(name).get();
    }

    private StatefulSet awaitStatefulSetRolledOut(String name) {
        KubernetesClient client = k8s.client();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatefulSet set = client.apps().statefulSets().withName(name).get();
            KubectlRolloutStatus.Verdict verdict = KubectlRolloutStatus.of(set);
            assertThat(verdict.state()).as(verdict.message()).isEqualTo(KubectlRolloutStatus.State.COMPLETE);
            assertThat(set.getStatus().getCurrentRevision()).isEqualTo(set.getStatus().getUpdateRevision());
        });
        return client.apps().statefulSets().withName(name).get();
    }

    private static KubectlRolloutStatus.Verdict verdict(KubernetesClient client, String deployment) {
        return KubectlRolloutStatus.of(client.apps().deployments().withName(deployment).get());
    }

    private List<Pod> podsOf(String app) {
        return k8s.client().pods().withLabel("app", app).list().getItems();
    }

    private Set<String> podNames(String app) {
        return podsOf(app).stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    }

    private static DeploymentCondition condition(Deployment deployment, String type) {
        return deployment.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("No " + type + " condition in " + deployment.getStatus()));
    }

    private static Watcher<Deployment> recorder(List<String> seen) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment deployment) {
                seen.add(KubectlRolloutStatus.of(deployment).message());
            }

            @Override
            public void onClose(WatcherException cause) {
                // The test closes the watch.
            }
        };
    }
}
