package io.rotor.contracts.event;

/** Why a request did not start a rotation. */
public enum RejectionReason {
    /** No ManagedCredential of that name in a watched namespace. */
    UNKNOWN_CREDENTIAL,
    /** The ManagedCredential exists but its spec does not validate. */
    INVALID_SPEC,
    /** The credential's platform has no rotator deployed. */
    NO_ROTATOR,
    /** A rotation is in flight and the request asked not to coalesce. */
    ROTATION_IN_FLIGHT,
    /** The request itself is malformed or refers to a rotation that cannot take it. */
    INVALID_REQUEST,
    /**
     * A confirmation or cancellation for a rotation that is not (or no longer) a manual rotation waiting for its
     * operator: not in flight, already confirmed, or already changing the credential.
     */
    ROTATION_NOT_WAITING,
    /** The caller may not do this. */
    NOT_AUTHORIZED,
    /**
     * The orchestrator cannot read the credential's saga state, which may hold a rotation in flight; nothing of the
     * credential is acted on until an operator has checked it and lets the state go.
     */
    STATE_UNREADABLE
}
