package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.validation.Validator;
import java.time.Duration;
import java.util.Map;

/** The new value is everywhere and the old one is retired (or, for single-password strategies, gone). */
public record RotationCompleted(String rotationId, CredentialRef credential, Map<Step, Duration> stepDurations,
        Duration total) implements RotationOutcome {

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        v.required("total", total);
        v.notNegative("total", total);
    }
}
