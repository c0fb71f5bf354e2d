package io.rotor.orchestrator.saga;

import io.rotor.contracts.saga.SagaStateMachine;
import io.rotor.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The saga's rules, once per application: the owner members fold the log with them and the read model follows the
 * same log with them, so the two can never disagree about where a rotation stands.
 */
public class SagaBeans {

    @Produces
    @Singleton
    SagaStateMachine machine() {
        return new SagaStateMachine();
    }

    @Produces
    @Singleton
    StepDeadlines deadlines(OrchestratorConfig config) {
        return new StepDeadlines(config.saga().deadlines());
    }

    @Produces
    @Singleton
    SagaProgress progress(SagaStateMachine machine, StepDeadlines deadlines, OrchestratorConfig config, Clock clock) {
        return new SagaProgress(machine, deadlines, clock, config.saga().startTimeout(),
                config.saga().rememberedRequests());
    }

    @Produces
    @Singleton
    StallDetector stalls(SagaStateMachine machine, StepDeadlines deadlines) {
        return new StallDetector(machine, deadlines);
    }
}
