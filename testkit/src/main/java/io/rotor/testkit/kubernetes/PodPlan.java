package io.rotor.testkit.kubernetes;

import java.util.List;

import io.fabric8.kubernetes.api.model.Pod;

/** What one controller step does to a workload's pods: which become ready, which go, which names are created. */
record PodPlan(List<Pod> markReady, List<Pod> delete, List<String> create) {

    PodPlan {
        markReady = List.copyOf(markReady);
        delete = List.copyOf(delete);
        create = List.copyOf(create);
    }

    boolean isEmpty() {
        return markReady.isEmpty() && delete.isEmpty() && create.isEmpty();
    }
}
