package io.rotor.contracts.saga;

/**
 * The steps of a rotation, each completed by one participant. The forward steps come first; the last three undo an
 * overlap rotation that could not finish (restore the Secrets, restart the workloads onto the old value, remove the
 * new value from the platform).
 */
public enum Step {
    /** The rotator changed the credential on the platform and proved the new value works. */
    PLATFORM_UPDATED,
    /** The secret writer wrote the new value to every Secret (and Vault path). */
    SECRET_WRITTEN,
    /** The pod restarter restarted every consumer and saw it ready. */
    WORKLOADS_RESTARTED,
    /** The rotator retired the old value after the propagation delay. */
    OLD_REVOKED,
    /** Rollback: the secret writer put the previous values back. */
    SECRET_RESTORED,
    /** Rollback: the pod restarter restarted the consumers onto the previous values. */
    WORKLOADS_RESTORED,
    /** Rollback: the rotator removed the new value from the platform. */
    NEW_REVOKED;

    public boolean rollback() {
        return this == SECRET_RESTORED || this == WORKLOADS_RESTORED || this == NEW_REVOKED;
    }
}
