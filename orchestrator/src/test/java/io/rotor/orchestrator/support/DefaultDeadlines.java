package io.rotor.orchestrator.support;

import io.rotor.orchestrator.config.OrchestratorConfig;
import java.time.Duration;
import java.util.Optional;

/** The saga deadlines' configuration defaults, without SmallRye. */
public final class DefaultDeadlines implements OrchestratorConfig.Deadlines {

    @Override
    public Optional<Duration> platformUpdated() {
        return Optional.empty();
    }

    @Override
    public Duration secretWritten() {
        return Duration.ofMinutes(5);
    }

    @Override
    public Duration rolloutMargin() {
        return Duration.ofMinutes(5);
    }

    @Override
    public Duration revokeMargin() {
        return Duration.ofMinutes(10);
    }

    @Override
    public Duration rollbackStep() {
        return Duration.ofMinutes(10);
    }

    @Override
    public Duration awaitingOperator() {
        return Duration.ofHours(24);
    }
}
