package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.validation.Validator;

/** The answer to a dry run: the plan, and nothing changed. */
public record RotationPlanned(String rotationId, CredentialRef credential, String requestId, RotationPlan plan)
        implements RotationOutcome {

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        EventFields.requestId(v, requestId);
        if (v.required("plan", plan)) {
            v.check("plan", plan);
        }
    }
}
