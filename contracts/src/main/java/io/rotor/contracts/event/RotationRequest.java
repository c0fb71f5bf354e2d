package io.rotor.contracts.event;

/** What users, the scheduler and the REST API put on {@code rotor.requests}. */
public sealed interface RotationRequest extends RotorEvent
        permits RotationRequested, OperatorConfirmation, SealedOperatorConfirmation, CancelRotation {

    /** Chosen by the requester; a repeated request id is answered with the original outcome, never a second rotation. */
    String requestId();
}
