package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.validation.Validator;

/**
 * A rotation that had changed nothing was cancelled.
 *
 * @param requestId the {@link CancelRotation} this answers; null when the orchestrator cancelled on its own (a
 *                  superseded or stale start)
 */
public record RotationCancelled(String rotationId, CredentialRef credential, String reason, String cancelledBy,
        String requestId) implements RotationOutcome {

    /** Cancelled by the orchestrator itself, not in answer to a request. */
    public RotationCancelled(String rotationId, CredentialRef credential, String reason, String cancelledBy) {
        this(rotationId, credential, reason, cancelledBy, null);
    }

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        v.maxLength("reason", reason, EventFields.MAX_REASON);
        EventFields.actor(v, "cancelledBy", cancelledBy);
        if (requestId != null) {
            EventFields.requestId(v, requestId);
        }
    }
}
