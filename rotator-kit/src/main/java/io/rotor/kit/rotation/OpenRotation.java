package io.rotor.kit.rotation;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.event.RotationStarted;
import java.time.Instant;

/**
 * A rotation the orchestrator started and has not ended, as its {@code RotationStarted} on {@code rotor.events} says:
 * the only rotations a participant acts for.
 *
 * @param generation the ManagedCredential's generation the orchestrator read the spec at
 * @param startedAt  when the orchestrator wrote the start, or null when the record had no time
 */
public record OpenRotation(String rotationId, CredentialRef credential, ManagedCredentialSpec spec, long generation,
        String specDigest, Instant startedAt) {

    public static OpenRotation of(RotationStarted started, Instant at) {
        return new OpenRotation(started.rotationId(), started.credential(), started.spec(), started.generation(),
                started.specDigest(), at);
    }
}
