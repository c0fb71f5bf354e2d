package io.rotor.orchestrator.support;

import io.rotor.orchestrator.config.OrchestratorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The worker's settings without SmallRye: each component answers the configuration method of its name. */
public record WorkerSettings(boolean enabled, String groupId, Duration pollTimeout, Duration tickInterval,
        Duration publishTimeout, Duration retryBackoffInitial, Duration retryBackoffMax, Duration stuckAfter,
        Optional<List<String>> forgetUnreadableState) implements OrchestratorConfig.Worker {

    /** The configuration defaults, in a group of the test's own. */
    public static WorkerSettings defaults(String groupId) {
        return new WorkerSettings(true, groupId, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofMinutes(5), Optional.empty());
    }
}
