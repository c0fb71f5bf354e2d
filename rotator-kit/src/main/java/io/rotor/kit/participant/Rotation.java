package io.rotor.kit.participant;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import java.util.Objects;
import java.util.Optional;

/**
 * What an adapter works on: one rotation of one credential, with the spec snapshot the saga carries and the two values
 * in play, already opened. Prints no secret ({@link CredentialMaterial} hides its values).
 *
 * @param newValue for {@code apply}: the value the orchestrator generated; for {@code verify}, {@code revoke} and
 *                 {@code removeNew}: the value handed on to the secret writer (what {@link Applied#handOn} was)
 * @param oldValue for {@code apply}: the current value, read from the credential's Secret; afterwards: the previous
 *                 value that {@code apply} reported ({@link Applied#previous})
 */
public record Rotation(String rotationId, CredentialRef credential, ManagedCredentialSpec spec,
        CredentialMaterial newValue, CredentialMaterial oldValue) {

    public Rotation {
        Objects.requireNonNull(rotationId, "rotationId");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(newValue, "newValue");
        Objects.requireNonNull(oldValue, "oldValue");
    }

    public Rotation withNewValue(CredentialMaterial value) {
        return new Rotation(rotationId, credential, spec, value, oldValue);
    }

    public SecretValue newPassword() {
        return newValue.require(CredentialField.PASSWORD);
    }

    public SecretValue oldPassword() {
        return oldValue.require(CredentialField.PASSWORD);
    }

    /** The old value's username where the Secret holds one, else the spec's identity. */
    public Optional<String> oldUsername() {
        return oldValue.get(CredentialField.USERNAME).map(SecretValue::reveal)
                .or(() -> Optional.ofNullable(spec.identity() == null ? null : spec.identity().username()));
    }

    /** The new value's username where it carries one (new-identity), else the old one (dual-password). */
    public Optional<String> newUsername() {
        return newValue.get(CredentialField.USERNAME).map(SecretValue::reveal).or(this::oldUsername);
    }
}
