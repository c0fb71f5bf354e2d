package io.rotor.contracts.saga;

/** What the orchestrator does after a transition, beyond recording the new state. */
public enum SagaAction {
    NONE,
    /** Ask the participants to undo (overlap strategies): secret writer, pod restarter, rotator in turn. */
    REQUEST_ROLLBACK,
    /** Forward-only strategies: a step failed for good but the saga must not go back; keep it visibly stuck. */
    HOLD_FOR_RETRY,
    /** Emit the final outcome event (completed, failed, rolled back, cancelled). */
    EMIT_OUTCOME
}
