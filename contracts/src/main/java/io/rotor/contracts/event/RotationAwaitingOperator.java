package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.validation.Validator;
import java.time.Instant;
import java.util.List;

/** A manual rotation waits for an operator, who gets these instructions, until the deadline. */
public record RotationAwaitingOperator(String rotationId, CredentialRef credential, List<String> instructions,
        Instant deadline) implements RotationOutcome {

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        if (v.required("instructions", instructions)) {
            v.maxSize("instructions", instructions, 32);
            for (int i = 0; i < instructions.size(); i++) {
                v.maxLength("instructions[" + i + "]", instructions.get(i), EventFields.MAX_REASON);
            }
        }
    }
}
