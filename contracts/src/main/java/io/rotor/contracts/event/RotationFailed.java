package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.validation.Validator;
import java.time.Duration;
import java.util.Map;

/** A rotation ended without reaching its goal; {@code step} failed with {@code errorCode}. */
public record RotationFailed(String rotationId, CredentialRef credential, Step step, String errorCode, String message,
        Map<Step, Duration> stepDurations) implements RotationOutcome {

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        v.required("step", step);
        EventFields.errorCode(v, errorCode);
        if (v.required("message", message)) {
            v.maxLength("message", message, EventFields.MAX_MESSAGE);
        }
    }
}
