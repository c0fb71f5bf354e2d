package io.rotor.contracts.event;

/** What the orchestrator says about a request or a rotation as a whole. */
public sealed interface RotationOutcome extends RotorEvent permits RotationStarted, RotationPlanned, RotationRejected,
        RotationCoalesced, RotationAwaitingOperator, RotationStalled, RotationCompleted, RotationFailed,
        RotationRolledBack, RotationCancelled, RotationConfirmed {
}
