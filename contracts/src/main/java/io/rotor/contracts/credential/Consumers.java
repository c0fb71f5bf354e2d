package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.time.Duration;
import java.util.List;

/**
 * The workloads that read the credential: those named here, plus (unless {@code discover} is false) every Deployment,
 * StatefulSet and DaemonSet whose pod template references one of the credential's Secrets or carries the opt-in
 * annotation {@value ManagedCredentials#RESTART_ANNOTATION}.
 */
public record Consumers(List<WorkloadRef> workloads, Boolean discover, RestartStrategy restartStrategy,
        Duration rolloutTimeout) implements Validatable {

    public static final Duration DEFAULT_ROLLOUT_TIMEOUT = Duration.ofMinutes(10);

    public List<WorkloadRef> workloadList() {
        return workloads == null ? List.of() : workloads;
    }

    public boolean discoverEnabled() {
        return discover == null || discover;
    }

    public RestartStrategy restartStrategyOrDefault() {
        return restartStrategy == null ? RestartStrategy.ROLLOUT : restartStrategy;
    }

    public Duration rolloutTimeoutOrDefault() {
        return rolloutTimeout == null ? DEFAULT_ROLLOUT_TIMEOUT : rolloutTimeout;
    }

    @Override
    public void validate(Validator v) {
        v.maxSize("workloads", workloads, 100);
        v.each("workloads", workloads);
        v.positive("rolloutTimeout", rolloutTimeout);
    }
}
