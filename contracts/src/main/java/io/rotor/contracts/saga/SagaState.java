package io.rotor.contracts.saga;

/**
 * Where a rotation stands. A state named after a step means that step has completed. Being stalled (a deadline passed
 * without progress) is not a state: a stalled rotation is still in its state and still moves on when the step lands.
 */
public enum SagaState {
    /** The new value is sealed in an acknowledged record and the platform command is out. */
    STARTED(false),
    /** Manual strategy: waiting for an operator to change the password in the product and confirm. */
    AWAITING_OPERATOR(false),
    PLATFORM_UPDATED(false),
    SECRET_WRITTEN(false),
    WORKLOADS_RESTARTED(false),
    /** Overlap strategy after a permanent failure: the previous values are being restored. */
    ROLLING_BACK(false),
    SECRET_RESTORED(false),
    WORKLOADS_RESTORED(false),
    COMPLETED(true),
    FAILED(true),
    ROLLED_BACK(true),
    CANCELLED(true);

    private final boolean terminal;

    SagaState(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean terminal() {
        return terminal;
    }
}
