package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.validation.Validator;
import java.time.Duration;
import java.util.Map;

/** An overlap rotation was undone after {@code failedStep} failed: the previous value is back everywhere. */
public record RotationRolledBack(String rotationId, CredentialRef credential, Step failedStep, String errorCode,
        String message, Map<Step, Duration> stepDurations) implements RotationOutcome {

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        v.required("failedStep", failedStep);
        EventFields.errorCode(v, errorCode);
        v.maxLength("message", message, EventFields.MAX_MESSAGE);
    }
}
