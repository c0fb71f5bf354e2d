package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.validation.Validator;

/**
 * Asks for a rotation of one credential.
 *
 * @param requestedBy who asks: {@code scheduler}, {@code user:alice}, a pipeline's name
 * @param dryRun      produce a plan and change nothing
 * @param onConflict  what to do when a rotation is already in flight; coalesce when absent
 */
public record RotationRequested(String requestId, CredentialRef credential, String reason, boolean dryRun,
        String requestedBy, ConflictPolicy onConflict) implements RotationRequest {

    public static final String SCHEDULER = "scheduler";

    @Override
    public String rotationId() {
        return null;
    }

    public ConflictPolicy conflictPolicy() {
        return onConflict == null ? ConflictPolicy.COALESCE : onConflict;
    }

    @Override
    public void validate(Validator v) {
        EventFields.requestId(v, requestId);
        v.required("credential", credential);
        v.maxLength("reason", reason, EventFields.MAX_REASON);
        EventFields.actor(v, "requestedBy", requestedBy);
    }
}
