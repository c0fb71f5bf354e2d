package io.rotor.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.rotor.contracts.credential.RestartStrategy;
import io.rotor.testkit.kubernetes.KubectlRolloutStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Our reading of rollout status against testkit's transcription of kubectl, on many generated states. */
class RolloutStatusTest {

    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);

    @Test
    void deploymentsAgreeWithKubectl() {
        for (int i = 0; i < 2_000; i++) {
            Deployment d = deployment();
            assertThat(map(RolloutStatus.of(d).state())).as("seed %d: %s", seed, d.getStatus())
                    .isEqualTo(KubectlRolloutStatus.of(d).state());
        }
    }

    @Test
    void statefulSetsAgreeWithKubectl() {
        for (int i = 0; i < 2_000; i++) {
            StatefulSet s = statefulSet();
            assertThat(map(RolloutStatus.of(s).state())).as("seed %d: %s", seed, s.getStatus())
                    .isEqualTo(KubectlRolloutStatus.of(s).state());
        }
    }

    @Test
    void daemonSetsAgreeWithKubectl() {
        for (int i = 0; i < 2_000; i++) {
            DaemonSet s = daemonSet();
            assertThat(map(RolloutStatus.of(s).state())).as("seed %d: %s", seed, s.getStatus())
                    .isEqualTo(KubectlRolloutStatus.of(s).state());
        }
    }

    @Test
    void missingCountsAreZeroAsTheApiServerOmitsThem() {
        Deployment scaledUp = new DeploymentBuilder().withNewMetadata().withName("d").withGeneration(2L).endMetadata()
                .withNewSpec().withReplicas(2).endSpec().withNewStatus().withObservedGeneration(2L).endStatus().build();

        assertThat(RolloutStatus.of(scaledUp).state()).isEqualTo(RolloutStatus.State.IN_PROGRESS);
        assertThat(RolloutStatus.of(scaledUp).message()).isEqualTo("0 out of 2 new replicas have been updated");
    }

    @Test
    void aStaleProgressDeadlineIsNotReadBeforeTheNewGenerationIsObserved() {
        Deployment restarted = new DeploymentBuilder().withNewMetadata().withName("d").withGeneration(3L).endMetadata()
                .withNewSpec().withReplicas(1).endSpec().withNewStatus().withObservedGeneration(2L)
                .withConditions(deadlineExceeded()).endStatus().build();

        assertThat(RolloutStatus.of(restarted).state()).isEqualTo(RolloutStatus.State.IN_PROGRESS);
    }

    @Test
    void onDeleteSetsHaveNoRolloutAndAreRestartedByDeletingPods() {
        StatefulSet onDelete = new StatefulSetBuilder().withNewMetadata().withName("s").endMetadata().withNewSpec()
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy().endSpec().build();
        DaemonSet rolling = new DaemonSetBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec()
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy().endSpec().build();

        assertThat(RolloutStatus.of(onDelete).state()).isEqualTo(RolloutStatus.State.UNAVAILABLE);
        assertThat(WorkloadRestarter.effectiveStrategy(RestartStrategy.ROLLOUT, onDelete)).isEqualTo(RestartStrategy.DELETE_PODS);
        assertThat(WorkloadRestarter.effectiveStrategy(RestartStrategy.SCALE_TO_ZERO, onDelete))
                .isEqualTo(RestartStrategy.SCALE_TO_ZERO);
        assertThat(WorkloadRestarter.effectiveStrategy(RestartStrategy.SCALE_TO_ZERO, rolling)).isEqualTo(RestartStrategy.ROLLOUT);
        assertThat(WorkloadRestarter.effectiveStrategy(RestartStrategy.DELETE_PODS, rolling)).isEqualTo(RestartStrategy.DELETE_PODS);
    }

    private static KubectlRolloutStatus.State map(RolloutStatus.State state) {
        return switch (state) {
            case COMPLETE -> KubectlRolloutStatus.State.COMPLETE;
            case IN_PROGRESS -> KubectlRolloutStatus.State.IN_PROGRESS;
            case FAILED, UNAVAILABLE -> KubectlRolloutStatus.State.FAILED;
        };
    }

    private Deployment deployment() {
        List<DeploymentCondition> conditions = new ArrayList<>();
        if (random.nextInt(5) == 0) {
            conditions.add(deadlineExceeded());
        }
        return new DeploymentBuilder().withNewMetadata().withName("d").withGeneration(maybe(1, 3)).endMetadata()
                .withNewSpec().withReplicas(maybeInt(0, 3)).endSpec()
                .withNewStatus().withObservedGeneration(maybe(0, 3)).withReplicas(maybeInt(0, 4))
                .withUpdatedReplicas(maybeInt(0, 4)).withAvailableReplicas(maybeInt(0, 4))
                .withReadyReplicas(maybeInt(0, 4)).withConditions(conditions).endStatus().build();
    }

    private StatefulSet statefulSet() {
        var builder = new StatefulSetBuilder().withNewMetadata().withName("s").withGeneration(maybe(1, 3)).endMetadata()
                .withNewSpec().withReplicas(maybeInt(0, 3)).withNewUpdateStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withPartition(random.nextBoolean() ? null : random.nextInt(2)).endRollingUpdate()
                .endUpdateStrategy().endSpec()
                .withNewStatus().withObservedGeneration(maybe(0, 3)).withReadyReplicas(maybeInt(0, 4))
                .withUpdatedReplicas(maybeInt(0, 4)).withCurrentRevision(random.nextBoolean() ? "a" : "b")
                .withUpdateRevision(random.nextBoolean() ? "a" : "b").endStatus();
        StatefulSet s = builder.build();
        if (random.nextInt(4) == 0) {
            s.getSpec().getUpdateStrategy().setRollingUpdate(null);
        }
        return s;
    }

    private DaemonSet daemonSet() {
        return new DaemonSetBuilder().withNewMetadata().withName("d").withGeneration(maybe(1, 3)).endMetadata()
                .withNewSpec().withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy().endSpec()
                .withNewStatus().withObservedGeneration(maybe(0, 3)).withDesiredNumberScheduled(random.nextInt(3))
                .withUpdatedNumberScheduled(maybeInt(0, 3)).withNumberAvailable(maybeInt(0, 3)).endStatus().build();
    }

    private static DeploymentCondition deadlineExceeded() {
        return new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                .withReason("ProgressDeadlineExceeded").build();
    }

    private Long maybe(int from, int to) {
        return random.nextInt(4) == 0 ? null : (long) (from + random.nextInt(to - from + 1));
    }

    private Integer maybeInt(int from, int to) {
        return random.nextInt(4) == 0 ? null : from + random.nextInt(to - from + 1);
    }
}
