package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.validation.Validator;
import java.util.Map;

/**
 * Tells a rotator to change a credential on its platform.
 *
 * @param material   the new value, sealed per field; empty for a manual rotation (the operator brings the value)
 * @param specDigest {@link io.rotor.contracts.credential.SpecDigest} of {@code spec}, as in the rotation's
 *                   {@link RotationStarted}
 */
public record RotateCredential(String rotationId, CredentialRef credential, CommandAction action,
        ManagedCredentialSpec spec, Map<String, SealedValue> material, String specDigest) implements PlatformCommand {

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        v.required("action", action);
        if (v.required("spec", spec)) {
            v.check("spec", spec);
        }
        EventFields.material(v, "material", material, false);
        EventFields.specDigest(v, spec, specDigest);
    }
}
