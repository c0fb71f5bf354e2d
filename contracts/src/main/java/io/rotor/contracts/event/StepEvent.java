package io.rotor.contracts.event;

import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.saga.Step;

/** How participants tell each other (and the orchestrator) that a step is done or failed. */
public sealed interface StepEvent extends RotorEvent permits StepCompleted, StepFailed, RollbackRequested {

    Step step();

    /** The credential's platform. */
    Platform platform();
}
