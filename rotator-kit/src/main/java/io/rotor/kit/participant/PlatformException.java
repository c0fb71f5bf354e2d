package io.rotor.kit.participant;

import java.util.Objects;

/**
 * A step could not be done. The message is for a person (what happened, on which endpoint or node, what to do) and
 * never contains a secret; the runtime puts it into {@code StepFailed.message} as it is.
 */
public class PlatformException extends RuntimeException {

    private final FailureCode reason;
    private final boolean platformMayHaveChanged;

    public PlatformException(FailureCode reason, String message) {
        this(reason, message, false, null);
    }

    public PlatformException(FailureCode reason, String message, Throwable cause) {
        this(reason, message, false, cause);
    }

    /**
     * @param platformMayHaveChanged the failure came after the adapter started changing the platform (the new value
     *                               may be on some nodes): if the step is given up, the runtime removes it again
     */
    public PlatformException(FailureCode reason, String message, boolean platformMayHaveChanged, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.platformMayHaveChanged = platformMayHaveChanged;
    }

    public FailureCode reason() {
        return reason;
    }

    public boolean retriable() {
        return reason.retriable();
    }

    public boolean platformMayHaveChanged() {
        return platformMayHaveChanged;
    }

    /** The same failure, noting that the platform may have been changed before it happened. */
    public PlatformException afterChange() {
        if (platformMayHaveChanged) {
            return this;
        }
        PlatformException copy = new PlatformException(reason, getMessage(), true, getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }
}
