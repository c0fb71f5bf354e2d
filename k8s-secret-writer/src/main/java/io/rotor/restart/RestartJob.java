package io.rotor.restart;

import io.rotor.contracts.credential.RestartStrategy;
import io.rotor.contracts.credential.WorkloadRef;
import java.time.Duration;
import java.util.Set;

/**
 * One restart of one workload, on behalf of one or more rotations whose Secrets it reads (several, when their
 * requests arrived within the debounce window).
 */
record RestartJob(String namespace, WorkloadRef ref, RestartStrategy strategy, Set<String> rotationIds,
        Duration timeout) {

    RestartJob {
        rotationIds = Set.copyOf(rotationIds);
    }

    String describe() {
        return WorkloadResources.describe(namespace, ref);
    }
}
