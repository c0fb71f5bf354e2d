package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.saga.SagaState;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.validation.Validator;
import java.time.Instant;

/**
 * A rotation made no progress before its step's deadline. It stays in its state and moves on when the step lands;
 * this event makes the wait visible.
 *
 * @param lastError the last failure reported for the awaited step, if any
 */
public record RotationStalled(String rotationId, CredentialRef credential, SagaState state, Step awaitedStep,
        Instant since, Instant deadline, String lastError) implements RotationOutcome {

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        v.required("state", state);
        v.required("since", since);
        v.required("deadline", deadline);
        v.maxLength("lastError", lastError, EventFields.MAX_MESSAGE);
    }
}
