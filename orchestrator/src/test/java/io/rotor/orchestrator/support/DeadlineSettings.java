package io.rotor.orchestrator.support;

import io.rotor.orchestrator.config.OrchestratorConfig;
import java.time.Duration;
import java.util.Optional;

/** The saga deadlines without SmallRye: each component answers the configuration method of its name. */
public record DeadlineSettings(Optional<Duration> platformUpdated, Duration secretWritten, Duration rolloutMargin,
        Duration revokeMargin, Duration rollbackStep, Duration awaitingOperator)
        implements OrchestratorConfig.Deadlines {

    /** The configuration defaults. */
    public static DeadlineSettings defaults() {
        return new DeadlineSettings(Optional.empty(), Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofHours(24));
    }
}
