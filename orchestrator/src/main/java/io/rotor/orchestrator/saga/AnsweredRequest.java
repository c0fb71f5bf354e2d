package io.rotor.orchestrator.saga;

import io.rotor.contracts.event.RejectionReason;
import java.time.Instant;

/**
 * How a request was answered, kept so that a repeated request id gets the same answer and never a second rotation.
 *
 * @param rotationId the rotation started or joined; for a rejection, the one in flight if that was the reason
 */
public record AnsweredRequest(String requestId, Answer answer, String rotationId, RejectionReason reason,
        String message, Instant at) {

    public enum Answer {
        STARTED,
        COALESCED,
        REJECTED,
        CONFIRMED,
        CANCELLED
    }

    public static AnsweredRequest started(String requestId, String rotationId, Instant at) {
        return new AnsweredRequest(requestId, Answer.STARTED, rotationId, null, null, at);
    }

    public static AnsweredRequest coalesced(String requestId, String rotationId, Instant at) {
        return new AnsweredRequest(requestId, Answer.COALESCED, rotationId, null, null, at);
    }

    public static AnsweredRequest rejected(String requestId, String rotationId, RejectionReason reason, String message,
            Instant at) {
        return new AnsweredRequest(requestId, Answer.REJECTED, rotationId, reason, message, at);
    }
}
