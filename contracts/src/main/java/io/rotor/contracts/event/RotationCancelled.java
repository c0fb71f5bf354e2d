package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.validation.Validator;

/** A rotation that had changed nothing was cancelled. */
public record RotationCancelled(String rotationId, CredentialRef credential, String reason, String cancelledBy)
        implements RotationOutcome {

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        v.maxLength("reason", reason, EventFields.MAX_REASON);
        EventFields.actor(v, "cancelledBy", cancelledBy);
    }
}
