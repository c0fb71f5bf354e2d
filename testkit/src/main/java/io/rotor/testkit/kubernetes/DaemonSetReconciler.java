package io.rotor.testkit.kubernetes;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;

/**
 * Plays the DaemonSet controller for one DaemonSet over the sandbox's fake nodes (no Node objects exist; the count
 * comes from {@link FakeWorkloadController.Options#nodeCount()}). Rolls pods one at a time like
 * {@link ReplicaPodPlanner}; node selectors, tolerations and real scheduling are ignored.
 */
final class DaemonSetReconciler {

    static final String REVISION_LABEL = "controller-revision-hash";
    static final String TEMPLATE_GENERATION_LABEL = "pod-template-generation";

    private final ControllerContext context;
    private final Consumer<WorkloadRef> onRestart;

    DaemonSetReconciler(ControllerContext context, Consumer<WorkloadRef> onRestart) {
        this.context = context;
        this.onRestart = onRestart;
    }

    ReconcileResult reconcile(WorkloadRef ref, RolloutState state, boolean failing) {
        DaemonSet set = context.client().apps().daemonSets().inNamespace(ref.namespace()).withName(ref.name()).get();
        if (set == null) {
            context.deletePodsOwnedBy(ref.namespace(), "DaemonSet", ref.name());
            return ReconcileResult.gone();
        }
        if (ControllerContext.isTerminating(set)) {
            return ReconcileResult.settled();
        }
        String hash = TemplateHash.of(set.getSpec().getTemplate());
        if (state.observeTemplate(hash)) {
            onRestart.accept(ref);
        }
        int nodes = context.options().nodeCount();
        String uid = set.getMetadata().getUid();

        List<Pod> pods = context.podsOwnedBy(ref.namespace(), "DaemonSet", ref.name(), uid);
        PodPlan plan = ReplicaPodPlanner.plan(pods, pod -> hash.equals(DeploymentReconciler.label(pod, REVISION_LABEL)),
                nodes, failing, () -> ref.name() + "-" + Pods.randomSuffix());
        Set<String> usedNodes = nodesWithCurrentPods(pods, hash);
        ControllerContext.Step step = context.maybeStep(state, plan, ref.namespace(),
                name -> Pods.newPod(name, ref.namespace(), set.getSpec().getTemplate(), Map.of(REVISION_LABEL, hash,
                        TEMPLATE_GENERATION_LABEL, String.valueOf(set.getMetadata().getGeneration())), set,
                        claimFreeNode(usedNodes, nodes)));
        if (step.taken()) {
            pods = context.podsOwnedBy(ref.namespace(), "DaemonSet", ref.name(), uid);
        }
        Duration requeue = step.requeueAfter();

        DaemonSetStatus status = status(set, pods, hash, nodes);
        if (!Objects.equals(status, set.getStatus())) {
            context.client().apps().daemonSets().inNamespace(ref.namespace()).withName(ref.name())
                    .editStatus(live -> {
                        live.setStatus(status);
                        return live;
                    });
        }
        return ReconcileResult.of(requeue);
    }

    static DaemonSetStatus status(DaemonSet set, List<Pod> pods, String hash, int nodes) {
        int ready = (int) pods.stream().filter(Pods::isReady).count();
        int updated = (int) pods.stream().filter(p -> hash.equals(DeploymentReconciler.label(p, REVISION_LABEL)))
                .count();
        return new DaemonSetStatusBuilder()
                .withObservedGeneration(set.getMetadata().getGeneration())
                .withDesiredNumberScheduled(nodes)
                .withCurrentNumberScheduled(Math.min(pods.size(), nodes))
                .withNumberMisscheduled(0)
                .withNumberReady(ready)
                .withNumberAvailable(DeploymentReconciler.omitZero(ready))
                .withUpdatedNumberScheduled(DeploymentReconciler.omitZero(updated))
                .withNumberUnavailable(DeploymentReconciler.omitZero(Math.max(0, nodes - ready)))
                .build();
    }

    private static Set<String> nodesWithCurrentPods(List<Pod> pods, String hash) {
        return pods.stream()
                .filter(p -> hash.equals(DeploymentReconciler.label(p, REVISION_LABEL)))
                .map(p -> p.getSpec().getNodeName())
                .collect(Collectors.toCollection(HashSet::new));
    }

    /** The first fake node without a pod of the current template, now taken. */
    private static String claimFreeNode(Set<String> used, int nodes) {
        String node = IntStream.range(0, nodes).mapToObj(i -> FakeWorkloadController.NODE_PREFIX + i)
                .filter(candidate -> !used.contains(candidate))
                .findFirst()
                .orElse(FakeWorkloadController.NODE_PREFIX + "0");
        used.add(node);
        return node;
    }
}
