package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.contracts.validation.Validator;

/**
 * An operator confirms a manual rotation with the password they set in the product. Input only: the door that
 * receives it seals the value at once, and Rotor's codec refuses to write this record, so the plain value never
 * leaves the requests topic.
 */
public record OperatorConfirmation(String requestId, String rotationId, CredentialRef credential,
        SecretValue password, String confirmedBy) implements RotationRequest {

    @Override
    public void validate(Validator v) {
        EventFields.requestId(v, requestId);
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        if (v.required("password", password) && password.isEmpty()) {
            v.fail("password", "must not be empty");
        }
        if (password != null && password.byteLength() > 1024) {
            v.fail("password", "is longer than 1024 bytes");
        }
        EventFields.actor(v, "confirmedBy", confirmedBy);
    }
}
