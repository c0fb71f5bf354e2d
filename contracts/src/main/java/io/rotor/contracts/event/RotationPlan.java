package io.rotor.contracts.event;

import io.rotor.contracts.credential.RestartStrategy;
import io.rotor.contracts.credential.WorkloadRef;
import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.time.Duration;
import java.util.List;

/**
 * What a rotation would do, without doing it.
 *
 * @param platformCalls human-readable calls in order, such as {@code POST /v1/users/password (add)}
 * @param secrets       every Secret and the data keys that would change
 * @param workloads     every workload that would restart, found as the pod restarter finds them
 */
public record RotationPlan(List<String> platformCalls, List<PlannedSecret> secrets, List<WorkloadRef> workloads,
        RestartStrategy restartStrategy, Duration propagationDelay, String vaultPath) implements Validatable {

    /**
     * A Secret and the keys in it that a rotation would write.
     *
     * @param exists whether the Secret exists; null when it was not checked (reading Secrets is not the orchestrator's
     *               to do unless its operator grants it)
     */
    public record PlannedSecret(String name, List<String> keys, Boolean exists) implements Validatable {
        @Override
        public void validate(Validator v) {
            v.required("name", name);
            v.maxSize("keys", keys, 64);
        }
    }

    @Override
    public void validate(Validator v) {
        v.maxSize("platformCalls", platformCalls, 64);
        v.maxSize("secrets", secrets, 64);
        v.each("secrets", secrets);
        v.maxSize("workloads", workloads, 512);
        v.each("workloads", workloads);
    }
}
