package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.validation.Validator;

/**
 * A participant could not complete a step.
 *
 * @param errorCode a stable code (the platform's own where it has one, such as {@code password_not_complex})
 * @param message   a sentence a person can act on; never a secret
 * @param retriable the participant will try again by itself; otherwise the failure is final for this step
 * @param platform  the credential's platform, which (with the step) names the one service entitled to report it
 */
public record StepFailed(String rotationId, CredentialRef credential, Step step, String errorCode, String message,
        boolean retriable, int attempt, Platform platform) implements StepEvent {

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        v.required("step", step);
        v.required("platform", platform);
        EventFields.errorCode(v, errorCode);
        if (v.required("message", message)) {
            v.maxLength("message", message, EventFields.MAX_MESSAGE);
        }
        if (attempt < 0) {
            v.fail("attempt", "must not be negative");
        }
    }
}
