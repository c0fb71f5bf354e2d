package io.rotor.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.rotor.contracts.credential.RestartStrategy;
import io.rotor.contracts.credential.WorkloadKind;
import io.rotor.contracts.credential.WorkloadRef;
import io.rotor.k8s.ApiCalls;
import io.rotor.kit.retry.Backoff;
import io.rotor.kit.retry.Pause;
import io.rotor.testing.MutableClock;
import io.rotor.testing.TestWorkloads;
import io.rotor.testkit.kubernetes.FakeWorkloadController;
import io.rotor.testkit.kubernetes.KubectlRolloutStatus;
import io.rotor.testkit.kubernetes.KubernetesSandboxExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Restart strategies against the Kubernetes sandbox, whose fake controller moves pods and status like a cluster. */
class WorkloadRestarterMockTest {

    @RegisterExtension
    static final KubernetesSandboxExtension K8S = KubernetesSandboxExtension.with(b -> b.controllerOptions(
            FakeWorkloadController.Options.defaults().withStepDelay(Duration.ofMillis(10))
                    .withProgressDeadline(Duration.ofMillis(300)).withNodeCount(2)));

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final String ns = K8S.sandbox().namespace();
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final WorkloadResources resources = new WorkloadResources(K8S.client(),
            new ApiCalls(new Backoff(Duration.ofMillis(10), 2.0, Duration.ofMillis(50), 3, 0), Pause.REAL));

    private WorkloadRestarter restarter(Clock clock, Pause pause) {
        return new WorkloadRestarter(resources, clock, pause, Duration.ofMillis(20));
    }

    private WorkloadRestarter restarter() {
        return restarter(Clock.systemUTC(), Pause.REAL);
    }

    @Test
    void aRolloutRestartsTheDeploymentOnceAndReturnsWhenKubectlWouldCallItComplete() {
        Deployment d = K8S.client().resource(TestWorkloads.deployment("app-" + id, 2, "s")).create();
        awaitRolledOut(d);
        List<String> before = podUids("app-" + id);

        RestartResult result = restarter().restart(job("app-" + id, WorkloadKind.DEPLOYMENT, RestartStrategy.ROLLOUT, "r1"));

        Deployment after = K8S.client().apps().deployments().withName("app-" + id).get();
        assertThat(KubectlRolloutStatus.of(after).isComplete()).isTrue();
        assertThat(K8S.sandbox().controller().restartCount(testkitRef(WorkloadKind.DEPLOYMENT, "app-" + id))).isEqualTo(1);
        assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey(RestartAnnotations.KUBECTL_RESTARTED_AT);
        assertThat(after.getMetadata().getAnnotations()).containsEntry(RestartAnnotations.RESTARTED_FOR, "r1");
        assertThat(podUids("app-" + id)).hasSize(2).doesNotContainAnyElementsOf(before);
        assertThat(result.strategy()).isEqualTo("rollout");
        assertThat(result.resumed()).isFalse();
    }

    @Test
    void aJobForRotationsAlreadyRestartedForOnlyWaits() {
        awaitRolledOut(K8S.client().resource(TestWorkloads.deployment("app-" + id, 1, "s")).create());
        restarter().restart(job("app-" + id, WorkloadKind.DEPLOYMENT, RestartStrategy.ROLLOUT, "r1", "r2"));

        RestartResult again = restarter().restart(job("app-" + id, WorkloadKind.DEPLOYMENT, RestartStrategy.ROLLOUT, "r2"));

        assertThat(again.resumed()).isTrue();
        assertThat(K8S.sandbox().controller().restartCount(testkitRef(WorkloadKind.DEPLOYMENT, "app-" + id))).isEqualTo(1);
    }

    @Test
    void aRestarterThatStoppedMidRolloutIsResumedByTheNextWithoutASecondRestart() {
        awaitRolledOut(K8S.client().resource(TestWorkloads.deployment("app-" + id, 2, "s")).create());
        // The first restarter starts the rollout and dies at its first wait, as a killed pod would.
        WorkloadRestarter dying = restarter(Clock.systemUTC(), d -> {
            throw new IllegalStateException("killed");
        });
        assertThatThrownBy(() -> dying.restart(job("app-" + id, WorkloadKind.DEPLOYMENT, RestartStrategy.ROLLOUT, "r1")))
                .hasMessage("killed");

        RestartResult resumed = restarter().restart(job("app-" + id, WorkloadKind.DEPLOYMENT, RestartStrategy.ROLLOUT, "r1"));

        assertThat(resumed.resumed()).isTrue();
        assertThat(KubectlRolloutStatus.of(K8S.client().apps().deployments().withName("app-" + id).get()).isComplete()).isTrue();
        assertThat(K8S.sandbox().controller().restartCount(testkitRef(WorkloadKind.DEPLOYMENT, "app-" + id))).isEqualTo(1);
    }

    @Test
    void deletePodsReplacesEveryPodWithoutTouchingTheTemplate() {
        awaitRolledOut(K8S.client().resource(TestWorkloads.deployment("app-" + id, 2, "s")).create());
        List<String> before = podUids("app-" + id);

        RestartResult result = restarter().restart(job("app-" + id, WorkloadKind.DEPLOYMENT, RestartStrategy.DELETE_PODS, "r1"));

        assertThat(result.strategy()).isEqualTo("delete-pods");
        assertThat(podUids("app-" + id)).hasSize(2).doesNotContainAnyElementsOf(before);
        assertThat(readyPods("app-" + id)).isEqualTo(2);
        assertThat(K8S.sandbox().controller().restartCount(testkitRef(WorkloadKind.DEPLOYMENT, "app-" + id))).isZero();
    }

    @Test
    void aRestarterThatStoppedBeforeDeletingThePodsDeletesThoseOlderThanItsMark() {
        awaitRolledOut(K8S.client().resource(TestWorkloads.deployment("app-" + id, 2, "s")).create());
        List<String> before = podUids("app-" + id);
        assertThat(pods("app-" + id)).allSatisfy(p -> assertThat(p.getMetadata().getCreationTimestamp()).isNotNull());
        // What the first attempt recorded before it died: the mark lies after the pods' creation.
        K8S.client().apps().deployments().withName("app-" + id).edit(d -> new DeploymentBuilder(d).editMetadata()
                .addToAnnotations(RestartAnnotations.RESTARTED_FOR, "r1")
                .addToAnnotations(RestartAnnotations.RESTARTED_AT, Instant.now().plusSeconds(2).toString())
                .endMetadata().build());

        RestartResult result = restarter().restart(job("app-" + id, WorkloadKind.DEPLOYMENT, RestartStrategy.DELETE_PODS, "r1"));

        assertThat(result.resumed()).isTrue();
        assertThat(podUids("app-" + id)).hasSize(2).doesNotContainAnyElementsOf(before);
    }

    @Test
    void scaleToZeroGoesToZeroAndReturnsToTheFormerReplicaCount() throws Exception {
        awaitRolledOut(K8S.client().resource(TestWorkloads.deployment("app-" + id, 2, "s")).create());
        List<String> before = podUids("app-" + id);
        List<Integer> replicasSeen = new CopyOnWriteArrayList<>();
        try (Watch watch = K8S.client().apps().deployments().withName("app-" + id).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment resource) {
                replicasSeen.add(resource.getSpec().getReplicas());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            RestartResult result = restarter().restart(job("app-" + id, WorkloadKind.DEPLOYMENT, RestartStrategy.SCALE_TO_ZERO, "r1"));

            assertThat(result.strategy()).isEqualTo("scale-to-zero");
        }
        Deployment after = K8S.client().apps().deployments().withName("app-" + id).get();
        assertThat(after.getSpec().getReplicas()).isEqualTo(2);
        assertThat(after.getMetadata().getAnnotations()).doesNotContainKey(RestartAnnotations.REPLICAS_BEFORE);
        assertThat(replicasSeen).contains(0);
        assertThat(readyPods("app-" + id)).isEqualTo(2);
        assertThat(podUids("app-" + id)).doesNotContainAnyElementsOf(before);
    }

    @Test
    void aRestarterThatStoppedWhileScaledToZeroScalesBackToTheRecordedCount() {
        Deployment d = K8S.client().resource(TestWorkloads.deployment("app-" + id, 3, "s")).create();
        awaitRolledOut(d);
        Deployment current = K8S.client().apps().deployments().withName("app-" + id).get();
        K8S.client().resource(new DeploymentBuilder(current).editMetadata()
                .addToAnnotations(RestartAnnotations.REPLICAS_BEFORE, "3")
                .addToAnnotations(RestartAnnotations.RESTARTED_FOR, "r1")
                .addToAnnotations(RestartAnnotations.RESTARTED_AT, Instant.now().toString()).endMetadata()
                .editSpec().withReplicas(0).endSpec().build()).update();

        RestartResult result = restarter().restart(job("app-" + id, WorkloadKind.DEPLOYMENT, RestartStrategy.SCALE_TO_ZERO, "r1"));

        assertThat(result.resumed()).isTrue();
        assertThat(K8S.client().apps().deployments().withName("app-" + id).get().getSpec().getReplicas()).isEqualTo(3);
        assertThat(readyPods("app-" + id)).isEqualTo(3);
    }

    @Test
    void statefulSetsAndDaemonSetsRollToo() {
        awaitRolledOut(K8S.client().resource(TestWorkloads.statefulSet("db-" + id, 2, "s")).create());
        awaitRolledOut(K8S.client().resource(TestWorkloads.daemonSet("agent-" + id, "s")).create());

        restarter().restart(job("db-" + id, WorkloadKind.STATEFUL_SET, RestartStrategy.ROLLOUT, "r1"));
        RestartResult daemon = restarter().restart(job("agent-" + id, WorkloadKind.DAEMON_SET,
                RestartStrategy.SCALE_TO_ZERO, "r1"));

        assertThat(KubectlRolloutStatus.of(K8S.client().apps().statefulSets().withName("db-" + id).get()).isComplete()).isTrue();
        assertThat(K8S.sandbox().controller().restartCount(testkitRef(WorkloadKind.STATEFUL_SET, "db-" + id))).isEqualTo(1);
        assertThat(daemon.strategy()).as("a DaemonSet cannot scale: rolled instead").isEqualTo("rollout");
        assertThat(K8S.sandbox().controller().restartCount(testkitRef(WorkloadKind.DAEMON_SET, "agent-" + id))).isEqualTo(1);
    }

    @Test
    void statefulSetPodsAreDeletedAndComeBack() {
        awaitRolledOut(K8S.client().resource(TestWorkloads.statefulSet("db-" + id, 2, "s")).create());
        List<String> before = podUids("db-" + id);

        restarter().restart(job("db-" + id, WorkloadKind.STATEFUL_SET, RestartStrategy.DELETE_PODS, "r1"));

        assertThat(podUids("db-" + id)).hasSize(2).doesNotContainAnyElementsOf(before);
    }

    @Test
    void aStatefulSetScaledToZeroComesBackWithItsPodsInOrder() {
        awaitRolledOut(K8S.client().resource(TestWorkloads.statefulSet("db-" + id, 3, "s")).create());
        List<String> before = podUids("db-" + id);

        RestartResult result = restarter().restart(job("db-" + id, WorkloadKind.STATEFUL_SET, RestartStrategy.SCALE_TO_ZERO, "r1"));

        assertThat(result.strategy()).isEqualTo("scale-to-zero");
        assertThat(K8S.client().apps().statefulSets().withName("db-" + id).get().getSpec().getReplicas()).isEqualTo(3);
        assertThat(pods("db-" + id)).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("db-" + id + "-0", "db-" + id + "-1", "db-" + id + "-2");
        assertThat(podUids("db-" + id)).doesNotContainAnyElementsOf(before);
        assertThat(readyPods("db-" + id)).isEqualTo(3);
    }

    @Test
    void aDeploymentThatCannotRollOutFailsWithProgressDeadlineExceeded() {
        awaitRolledOut(K8S.client().resource(TestWorkloads.deployment("app-" + id, 2, "s")).create());
        K8S.sandbox().controller().failRollouts(testkitRef(WorkloadKind.DEPLOYMENT, "app-" + id));

        assertThatThrownBy(() -> restarter().restart(job("app-" + id, WorkloadKind.DEPLOYMENT, RestartStrategy.ROLLOUT, "r1")))
                .isInstanceOfSatisfying(RestartFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(RestartFailure.Reason.PROGRESS_DEADLINE_EXCEEDED);
                    assertThat(f.getMessage()).contains("Deployment " + ns + "/app-" + id).contains("progress deadline");
                });
    }

    @Test
    void aStuckStatefulSetTimesOutByTheClockWithoutWaitingInRealTime() {
        awaitRolledOut(K8S.client().resource(TestWorkloads.statefulSet("db-" + id, 1, "s")).create());
        K8S.sandbox().controller().failRollouts(testkitRef(WorkloadKind.STATEFUL_SET, "db-" + id));
        MutableClock clock = MutableClock.startingNow();
        WorkloadRestarter restarter = restarter(clock, d -> {
            clock.advance(Duration.ofSeconds(30));
            Thread.sleep(5);
        });

        assertThatThrownBy(() -> restarter.restart(new RestartJob(ns, new WorkloadRef(WorkloadKind.STATEFUL_SET, "db-" + id),
                RestartStrategy.ROLLOUT, Set.of("r1"), Duration.ofMinutes(10))))
                .isInstanceOfSatisfying(RestartFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(RestartFailure.Reason.ROLLOUT_TIMEOUT);
                    assertThat(f.getMessage()).contains("StatefulSet " + ns + "/db-" + id).contains("PT10M");
                });
    }

    @Test
    void aWorkloadThatDoesNotExistIsAClearFailure() {
        assertThatThrownBy(() -> restarter().restart(job("nothing-" + id, WorkloadKind.DEPLOYMENT, RestartStrategy.ROLLOUT, "r1")))
                .isInstanceOfSatisfying(RestartFailure.class,
                        f -> assertThat(f.reason()).isEqualTo(RestartFailure.Reason.WORKLOAD_NOT_FOUND));
    }

    private RestartJob job(String name, WorkloadKind kind, RestartStrategy strategy, String... rotations) {
        return new RestartJob(ns, new WorkloadRef(kind, name), strategy, Set.of(rotations), TIMEOUT);
    }

    private static io.rotor.testkit.kubernetes.WorkloadRef testkitRef(WorkloadKind kind, String name) {
        String ns = K8S.sandbox().namespace();
        return switch (kind) {
            case DEPLOYMENT -> io.rotor.testkit.kubernetes.WorkloadRef.deployment(ns, name);
            case STATEFUL_SET -> io.rotor.testkit.kubernetes.WorkloadRef.statefulSet(ns, name);
            case DAEMON_SET -> io.rotor.testkit.kubernetes.WorkloadRef.daemonSet(ns, name);
        };
    }

    private static void awaitRolledOut(HasMetadata workload) {
        String name = workload.getMetadata().getName();
        await().atMost(Duration.ofSeconds(30)).until(() -> switch (workload.getKind()) {
            case "Deployment" -> KubectlRolloutStatus.of(K8S.client().apps().deployments().withName(name).get()).isComplete();
            case "StatefulSet" -> KubectlRolloutStatus.of(K8S.client().apps().statefulSets().withName(name).get()).isComplete();
            default -> KubectlRolloutStatus.of(K8S.client().apps().daemonSets().withName(name).get()).isComplete();
        });
    }

    private static List<Pod> pods(String app) {
        return K8S.client().pods().withLabel("app", app).list().getItems();
    }

    private static List<String> podUids(String app) {
        return pods(app).stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toList());
    }

    private static long readyPods(String app) {
        return pods(app).stream().filter(WorkloadResources::ready).count();
    }
}
