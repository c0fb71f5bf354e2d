package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.validation.Validator;

/** A request joined the rotation already in flight for its credential. */
public record RotationCoalesced(String rotationId, CredentialRef credential, String requestId, String requestedBy)
        implements RotationOutcome {

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        EventFields.requestId(v, requestId);
        EventFields.actor(v, "requestedBy", requestedBy);
    }
}
