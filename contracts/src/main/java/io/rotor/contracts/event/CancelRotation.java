package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.validation.Validator;

/** Asks to cancel a rotation that has changed nothing yet (a manual rotation waiting for its operator). */
public record CancelRotation(String requestId, String rotationId, CredentialRef credential, String reason,
        String requestedBy) implements RotationRequest {

    @Override
    public void validate(Validator v) {
        EventFields.requestId(v, requestId);
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        v.maxLength("reason", reason, EventFields.MAX_REASON);
        EventFields.actor(v, "requestedBy", requestedBy);
    }
}
