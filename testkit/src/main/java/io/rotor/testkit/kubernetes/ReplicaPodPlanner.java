package io.rotor.testkit.kubernetes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * One step of a rolling update over interchangeable pods (Deployment, DaemonSet), with surge 1 and no unavailability:
 * a new pod is started, becomes ready a step later, and only then does an old pod go. A rollout of n pods therefore
 * passes through the intermediate states {@code kubectl rollout status} reports as "n out of m new replicas have
 * been updated" and "old replicas are pending termination". Pods missing for any other reason (deleted, scaled up)
 * are created all at once, as the ReplicaSet controller does.
 */
final class ReplicaPodPlanner {

    private ReplicaPodPlanner() {
    }

    /**
     * @param pods the workload's live pods
     * @param isCurrent whether a pod runs the current template
     * @param desired how many current pods there should be
     * @param failing if true, current pods never become ready (the rollout is stuck)
     * @param newName names for pods to create
     */
    static PodPlan plan(List<Pod> pods, Predicate<Pod> isCurrent, int desired, boolean failing,
            Supplier<String> newName) {
        List<Pod> current = pods.stream().filter(isCurrent).toList();
        List<Pod> old = pods.stream().filter(isCurrent.negate()).toList();

        List<Pod> markReady = failing ? List.of() : current.stream().filter(p -> !Pods.isReady(p)).toList();
        List<Pod> delete = new ArrayList<>();

        // Scale down: drop surplus current pods, unready ones first, as the ReplicaSet controller prefers.
        List<Pod> currentByPreference = current.stream().sorted(readyLast()).toList();
        int surplus = Math.max(0, current.size() - desired);
        delete.addAll(currentByPreference.subList(0, surplus));
        int keptCurrent = current.size() - surplus;
        long readyCurrent = currentByPreference.subList(surplus, current.size()).stream()
                .filter(p -> Pods.isReady(p) || markReady.contains(p)).count();

        // Old pods may go once enough current pods are ready to replace them.
        int oldAllowed = (int) Math.max(0, desired - readyCurrent);
        List<Pod> oldByPreference = old.stream().sorted(readyLast()).toList();
        int oldToDelete = Math.max(0, old.size() - oldAllowed);
        delete.addAll(oldByPreference.subList(0, oldToDelete));
        int oldLeft = old.size() - oldToDelete;

        List<String> create = new ArrayList<>();
        int missing = desired - keptCurrent;
        if (missing > 0) {
            boolean unreadyCurrentRemains = keptCurrent > readyCurrent;
            if (oldLeft == 0) {
                // Nothing to replace: fill up at once.
                for (int i = 0; i < missing; i++) {
                    create.add(newName.get());
                }
            } else if (!unreadyCurrentRemains) {
                // Surge one new pod at a time; a stuck (never-ready) one blocks the rest, like maxUnavailable 0.
                create.add(newName.get());
            }
        }
        return new PodPlan(markReady, delete, create);
    }

    private static Comparator<Pod> readyLast() {
        return Comparator.comparing(Pods::isReady);
    }
}
