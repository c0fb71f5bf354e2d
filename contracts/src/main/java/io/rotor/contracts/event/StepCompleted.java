package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.validation.Validator;
import java.time.Duration;
import java.util.Map;

/**
 * A participant finished a step. The event carries what the next participant needs, so no one has to look anything
 * up mid-saga: the spec snapshot, the new value and the previous one (both sealed; the previous one is what the rotator
 * retires or rolls back to).
 *
 * @param details  facts for the audit trail (Secret resourceVersions, per-workload restart times), never secrets
 * @param duration how long the step took
 */
public record StepCompleted(String rotationId, CredentialRef credential, Step step, ManagedCredentialSpec spec,
        Map<String, SealedValue> material, Map<String, SealedValue> previous, Map<String, String> details,
        Duration duration) implements StepEvent {

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
        EventFields.material(v, "material", material, step == Step.PLATFORM_UPDATED);
        EventFields.material(v, "previous", previous, false);
        EventFields.details(v, details);
        v.notNegative("duration", duration);
    }
}
