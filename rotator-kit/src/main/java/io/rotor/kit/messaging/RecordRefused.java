package io.rotor.kit.messaging;

/**
 * A handler's refusal to act on a valid record that it has no authority to act on: a command or step of a rotation
 * that is not the credential's current one (a replay), a step from a topic whose producer may not report it, a spec
 * that differs from what the orchestrator started. The record goes to {@code rotor.dlq} with the reason, once, and the
 * consumer moves on. Messages name rotations, credentials and rules, never values.
 */
public class RecordRefused extends RuntimeException {

    public enum Reason {
        /** The rotation is not in flight for the credential: it ended, or the orchestrator never started it. */
        NOT_CURRENT,
        /** The record's spec is not the one the rotation started with, or the ManagedCredential changed since. */
        SPEC_MISMATCH,
        /** The producer whose topic this is may not report what the record says. */
        WRONG_PRODUCER,
        /** A target the credential does not own: a Secret without the opt-in label, a disallowed endpoint. */
        TARGET_NOT_ALLOWED,
        /** The rotation is not where this record could come: a manual rotation's step before any confirmation. */
        NOT_EXPECTED,
        /** The credential's saga state cannot be read, so nothing of it is acted on (the orchestrator). */
        STATE_UNREADABLE
    }

    private final Reason reason;

    public RecordRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
