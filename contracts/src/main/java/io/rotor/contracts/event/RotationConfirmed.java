package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.validation.Validator;

/**
 * An operator's confirmation of a manual rotation was accepted: the value is sealed in the saga and the command is on
 * its way to the rotator. The answer to the confirmation's request, and the audit trail's record of who confirmed.
 */
public record RotationConfirmed(String rotationId, CredentialRef credential, String requestId, String confirmedBy)
        implements RotationOutcome {

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        EventFields.requestId(v, requestId);
        EventFields.actor(v, "confirmedBy", confirmedBy);
    }
}
