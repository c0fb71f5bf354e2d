package io.rotor.kit.workload;

import io.rotor.contracts.credential.WorkloadRef;
import java.util.Set;

/**
 * A workload that reads a credential, in the credential's namespace.
 *
 * @param reasons why it counts as a reader (at least one)
 * @param exists  false for a workload the spec names but the cluster does not have (a typo, or not deployed yet)
 */
public record ConsumerWorkload(WorkloadRef ref, Set<ConsumerReason> reasons, boolean exists) {

    public ConsumerWorkload {
        reasons = Set.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a consumer needs at least one reason");
        }
    }
}
