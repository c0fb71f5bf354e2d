package io.rotor.contracts.event;

/** What a request does when a rotation of the same credential is already in flight. */
public enum ConflictPolicy {
    /** Join the running rotation: the answer carries its rotation id. */
    COALESCE,
    /** Be rejected with reason {@link RejectionReason#ROTATION_IN_FLIGHT}. */
    REJECT
}
