package io.rotor.testkit.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;

/**
 * Plays the StatefulSet controller and the kubelet for one StatefulSet: ordinal pods ({@link OrdinalPodPlanner}),
 * {@code controller-revision-hash} labels, and {@code currentRevision}/{@code updateRevision} that meet when a
 * rolling update is done. ControllerRevision objects are not created.
 */
final class StatefulSetReconciler {

    static final String REVISION_LABEL = "controller-revision-hash";
    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    private static final String NODE = FakeWorkloadController.NODE_PREFIX + "0";

    private final ControllerContext context;
    private final Consumer<WorkloadRef> onRestart;

    StatefulSetReconciler(ControllerContext context, Consumer<WorkloadRef> onRestart) {
        this.context = context;
        this.onRestart = onRestart;
    }

    ReconcileResult reconcile(WorkloadRef ref, RolloutState state, boolean failing) {
        StatefulSet set = context.client().apps().statefulSets().inNamespace(ref.namespace()).withName(ref.name())
                .get();
        if (set == null) {
            context.deletePodsOwnedBy(ref.namespace(), "StatefulSet", ref.name());
            return ReconcileResult.gone();
        }
        if (ControllerContext.isTerminating(set)) {
            return ReconcileResult.settled();
        }
        String updateRevision = ref.name() + "-" + TemplateHash.of(set.getSpec().getTemplate());
        if (state.observeTemplate(updateRevision)) {
            onRestart.accept(ref);
        }
        String currentRevision = set.getStatus() == null || set.getStatus().getCurrentRevision() == null
                ? updateRevision : set.getStatus().getCurrentRevision();
        int desired = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        int partition = partition(set, desired);
        String uid = set.getMetadata().getUid();

        List<Pod> pods = context.podsOwnedBy(ref.namespace(), "StatefulSet", ref.name(), uid);
        PodPlan plan = OrdinalPodPlanner.plan(ref.name(), pods, pod -> DeploymentReconciler.label(pod, REVISION_LABEL),
                updateRevision, desired, partition, failing);
        ControllerContext.Step step = context.maybeStep(state, plan, ref.namespace(), name -> {
            int ordinal = Integer.parseInt(name.substring(ref.name().length() + 1));
            String revision = ordinal >= partition ? updateRevision : currentRevision;
            return Pods.newPod(name, ref.namespace(), set.getSpec().getTemplate(), Map.of(REVISION_LABEL, revision,
                    POD_NAME_LABEL, name, POD_INDEX_LABEL, Integer.toString(ordinal)), set, NODE);
        });
        if (step.taken()) {
            pods = context.podsOwnedBy(ref.namespace(), "StatefulSet", ref.name(), uid);
        }
        Duration requeue = step.requeueAfter();

        StatefulSetStatus status = status(set, pods, currentRevision, updateRevision, desired);
        if (!Objects.equals(status, set.getStatus())) {
            context.client().apps().statefulSets().inNamespace(ref.namespace()).withName(ref.name())
                    .editStatus(live -> {
                        live.setStatus(status);
                        return live;
                    });
        }
        return ReconcileResult.of(requeue);
    }

    static StatefulSetStatus status(StatefulSet set, List<Pod> pods, String currentRevision, String updateRevision,
            int desired) {
        int replicas = pods.size();
        int ready = (int) pods.stream().filter(Pods::isReady).count();
        int updated = (int) pods.stream()
                .filter(p -> updateRevision.equals(DeploymentReconciler.label(p, REVISION_LABEL))).count();
        String current = currentRevision;
        // The controller declares the update done once every pod runs the update revision and is ready.
        if (updated == desired && replicas == desired && ready == desired) {
            current = updateRevision;
        }
        String finalCurrent = current;
        int currentReplicas = (int) pods.stream()
                .filter(p -> finalCurrent.equals(DeploymentReconciler.label(p, REVISION_LABEL))).count();
        return new StatefulSetStatusBuilder()
                .withObservedGeneration(set.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withReadyReplicas(DeploymentReconciler.omitZero(ready))
                .withAvailableReplicas(ready)
                .withCurrentReplicas(DeploymentReconciler.omitZero(currentReplicas))
                .withUpdatedReplicas(DeploymentReconciler.omitZero(updated))
                .withCurrentRevision(current)
                .withUpdateRevision(updateRevision)
                .withCollisionCount(0)
                .build();
    }

    /** Ordinals below the partition keep their revision; OnDelete updates nothing by itself. */
    private static int partition(StatefulSet set, int desired) {
        var strategy = set.getSpec().getUpdateStrategy();
        if (strategy != null && "OnDelete".equals(strategy.getType())) {
            return desired;
        }
        Integer partition = strategy == null || strategy.getRollingUpdate() == null ? null
                : strategy.getRollingUpdate().getPartition();
        return partition == null ? 0 : partition;
    }
}
