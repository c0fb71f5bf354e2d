package io.rotor.orchestrator.saga;

import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.saga.SagaState;
import io.rotor.orchestrator.config.OrchestratorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long a rotation may wait in each state before it counts as stalled. The deadline is a pure function of the
 * persisted state (when the state was entered, the spec snapshot), so it survives restarts and every replica agrees.
 */
public final class StepDeadlines {

    private final OrchestratorConfig.Deadlines config;

    public StepDeadlines(OrchestratorConfig.Deadlines config) {
        this.config = config;
    }

    /** The deadline of the state the rotation is in; empty for terminal states. */
    public Optional<Instant> deadline(ActiveRotation rotation) {
        return allowance(rotation.state(), rotation.spec()).map(d -> rotation.stateSince().plus(d));
    }

    public Optional<Duration> allowance(SagaState state, ManagedCredentialSpec spec) {
        Duration rollout = spec.consumersOrDefault().rolloutTimeoutOrDefault();
        return Optional.ofNullable(switch (state) {
            case STARTED -> config.platformUpdated().orElse(platformDefault(spec.platform()));
            case AWAITING_OPERATOR -> config.awaitingOperator();
            case PLATFORM_UPDATED -> config.secretWritten();
            case SECRET_WRITTEN -> rollout.plus(config.rolloutMargin());
            // Overlap strategies wait the propagation delay (REC: five minutes) before revoking the old value.
            case WORKLOADS_RESTARTED -> spec.propagationDelayOrDefault().plus(config.revokeMargin());
            case ROLLING_BACK, WORKLOADS_RESTORED -> config.rollbackStep();
            case SECRET_RESTORED -> rollout.plus(config.rolloutMargin());
            case COMPLETED, FAILED, ROLLED_BACK, CANCELLED -> null;
        });
    }

    /**
     * Sized for each platform: a REC or Redis call takes seconds; Keystone hashes with bcrypt and is rate-limited by
     * Rotor (about two changes a second at the default cost), so a bulk rotation queues.
     */
    static Duration platformDefault(Platform platform) {
        return switch (platform) {
            case REDIS_ENTERPRISE -> Duration.ofMinutes(5);
            case REDIS_ACL -> Duration.ofMinutes(2);
            case OPENSTACK_KEYSTONE, CONFIGUI -> Duration.ofMinutes(10);
        };
    }
}
