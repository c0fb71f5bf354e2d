package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.validation.Validator;
import java.util.Map;

/**
 * A rotation began. It carries the new value sealed: this record, acknowledged by Kafka before any platform is
 * touched, is the write-ahead log entry that makes sure a new credential can never be lost.
 *
 * @param generation the ManagedCredential's {@code metadata.generation} the spec was read at
 * @param specDigest {@link SpecDigest} of {@code spec}; services that touch Kubernetes compare it with the
 *                   ManagedCredential they read from the API server at that generation
 */
public record RotationStarted(String rotationId, CredentialRef credential, String requestId, String requestedBy,
        String reason, ManagedCredentialSpec spec, Map<String, SealedValue> material, long generation,
        String specDigest) implements RotationOutcome {

    @Override
    public void validate(Validator v) {
        EventFields.rotationId(v, rotationId);
        v.required("credential", credential);
        EventFields.requestId(v, requestId);
        EventFields.actor(v, "requestedBy", requestedBy);
        v.maxLength("reason", reason, EventFields.MAX_REASON);
        if (v.required("spec", spec)) {
            v.check("spec", spec);
        }
        EventFields.material(v, "material", material, false);
        if (generation < 0) {
            v.fail("generation", "must not be negative");
        }
        EventFields.specDigest(v, spec, specDigest);
    }
}
