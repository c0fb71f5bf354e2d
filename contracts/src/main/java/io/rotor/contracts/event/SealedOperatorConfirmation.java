package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.validation.Validator;
import java.util.Map;

/**
 * An operator's confirmation of a manual rotation, with the password already sealed by the door that received it (the
 * orchestrator's REST API and dashboard): the form that may travel on {@code rotor.requests}. The value is sealed with
 * purpose NEW for this rotation and credential, exactly as the command to the rotator carries it, so only a holder of
 * Rotor's sealing keys can produce one, and it cannot be replayed for another rotation.
 *
 * @param material the new value, sealed; {@code password} is required
 */
public record SealedOperatorConfirmation(String requestId, String rotationId, CredentialRef credential,
        Map<String, SealedValue> material, String confirmedBy) implements RotationRequest {

    @Override
    public void validate(Validator v) {
        EventFields.requestId(v, requestId);
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        EventFields.material(v, "material", material, true);
        if (material != null && !material.isEmpty() && !material.containsKey(CredentialField.PASSWORD.key())) {
            v.fail("material", "must hold the sealed password");
        }
        EventFields.actor(v, "confirmedBy", confirmedBy);
    }

    @Override
    public String toString() {
        return "SealedOperatorConfirmation[" + requestId + ", " + rotationId + ", " + credential + ", by "
                + confirmedBy + "]";
    }
}
