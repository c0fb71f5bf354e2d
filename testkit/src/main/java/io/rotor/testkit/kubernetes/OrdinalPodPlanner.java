package io.rotor.testkit.kubernetes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * One step of a StatefulSet with the default {@code OrderedReady} policy and {@code RollingUpdate} strategy: pods
 * {@code name-0 .. name-(n-1)} are created in order, each only once all lower ones are ready; scale-down removes the
 * highest ordinal first; an update replaces the highest-ordinal pod still on the old revision, one at a time, and
 * only while every pod is ready. A deleted pod comes back under the same name, as a StatefulSet's does.
 */
final class OrdinalPodPlanner {

    private OrdinalPodPlanner() {
    }

    /**
     * @param setName the StatefulSet's name (pods are {@code setName-ordinal})
     * @param pods the set's live pods
     * @param revisionOf the revision a pod runs
     * @param updateRevision the revision of the current template
     * @param desired spec.replicas
     * @param partition ordinals below it keep their revision (RollingUpdate partition)
     * @param failing pods of the update revision never become ready
     */
    static PodPlan plan(String setName, List<Pod> pods, Function<Pod, String> revisionOf, String updateRevision,
            int desired, int partition, boolean failing) {
        Map<Integer, Pod> byOrdinal = pods.stream()
                .filter(p -> ordinal(setName, p).isPresent())
                .collect(Collectors.toMap(p -> ordinal(setName, p).orElseThrow(), Function.identity(), (a, b) -> a));

        List<Pod> markReady = pods.stream()
                .filter(p -> !Pods.isReady(p))
                .filter(p -> !(failing && updateRevision.equals(revisionOf.apply(p))))
                .toList();
        List<Pod> delete = new ArrayList<>();
        List<String> create = new ArrayList<>();

        // Pods with a foreign or out-of-range name go first, highest ordinal first, one per step.
        Optional<Pod> excess = pods.stream()
                .filter(p -> ordinal(setName, p).map(o -> o >= desired).orElse(true))
                .max(Comparator.comparing(p -> ordinal(setName, p).orElse(Integer.MAX_VALUE)));
        if (excess.isPresent()) {
            delete.add(excess.get());
            return new PodPlan(markReady, delete, create);
        }

        for (int ordinal = 0; ordinal < desired; ordinal++) {
            Pod pod = byOrdinal.get(ordinal);
            if (pod == null) {
                create.add(setName + "-" + ordinal);
                return new PodPlan(markReady, delete, create);
            }
            if (!Pods.isReady(pod) && !markReady.contains(pod)) {
                // OrderedReady: nothing beyond an unready pod moves.
                return new PodPlan(markReady, delete, create);
            }
        }

        boolean allReadyBeforeThisStep = pods.stream().allMatch(Pods::isReady);
        if (allReadyBeforeThisStep) {
            for (int ordinal = desired - 1; ordinal >= partition; ordinal--) {
                Pod pod = byOrdinal.get(ordinal);
                if (!updateRevision.equals(revisionOf.apply(pod))) {
                    delete.add(pod);
                    break;
                }
            }
        }
        return new PodPlan(markReady, delete, create);
    }

    static Optional<Integer> ordinal(String setName, Pod pod) {
        String name = pod.getMetadata().getName();
        String prefix = setName + "-";
        if (!name.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(name.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
