package io.rotor.contracts.credential;

/** How a rotation ended, as the ManagedCredential's status reports it. */
public enum RotationOutcomeKind {
    COMPLETED,
    FAILED,
    ROLLED_BACK,
    CANCELLED
}
