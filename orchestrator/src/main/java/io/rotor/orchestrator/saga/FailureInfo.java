package io.rotor.orchestrator.saga;

import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import java.time.Instant;

/** The last failure reported for a step: what stall reports and failure outcomes repeat. */
public record FailureInfo(Step step, String errorCode, String message, boolean retriable, int attempt, Instant at) {

    static FailureInfo of(StepFailed failed, Instant at) {
        return new FailureInfo(failed.step(), failed.errorCode(), failed.message(), failed.retriable(),
                failed.attempt(), at);
    }

    /** For {@code RotationStalled.lastError}: code and sentence. */
    public String describe() {
        return errorCode + ": " + message + (retriable ? " (attempt " + attempt + ", retrying)" : "");
    }
}
