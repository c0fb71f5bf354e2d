package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.validation.Validator;

/**
 * A request was refused.
 *
 * @param rotationId the rotation in flight when the reason is {@link RejectionReason#ROTATION_IN_FLIGHT}, else null
 * @param message    a sentence saying what is wrong and what to do
 */
public record RotationRejected(String rotationId, CredentialRef credential, String requestId, RejectionReason reason,
        String message) implements RotationOutcome {

    @Override
    public void validate(Validator v) {
        EventFields.optionalRotationId(v, rotationId);
        v.required("credential", credential);
        EventFields.requestId(v, requestId);
        v.required("reason", reason);
        if (v.required("message", message)) {
            v.maxLength("message", message, EventFields.MAX_MESSAGE);
        }
    }
}
