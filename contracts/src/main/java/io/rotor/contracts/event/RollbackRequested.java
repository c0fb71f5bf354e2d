package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.validation.Validator;
import java.util.Map;

/**
 * The orchestrator asks the participants to undo an overlap rotation after {@code step} failed for good: the secret
 * writer restores the previous values, the pod restarter restarts the consumers, the rotator removes the new value.
 */
public record RollbackRequested(String rotationId, CredentialRef credential, Step step, ManagedCredentialSpec spec,
        Map<String, SealedValue> material, Map<String, SealedValue> previous, String reason) implements StepEvent {

    @Override
    public Platform platform() {
        return spec == null ? null : spec.platform();
    }

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        v.required("step", step);
        if (v.required("spec", spec)) {
            v.check("spec", spec);
        }
        EventFields.material(v, "material", material, true);
        EventFields.material(v, "previous", previous, false);
        v.maxLength("reason", reason, EventFields.MAX_MESSAGE);
    }
}
