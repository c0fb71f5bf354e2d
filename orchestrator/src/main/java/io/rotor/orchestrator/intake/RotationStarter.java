package io.rotor.orchestrator.intake;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.password.PasswordGenerator;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.sealing.SecretValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Makes the new value of a rotation and seals it at once: the plain value exists only inside {@link #start} and is
 * overwritten before it returns. The resulting {@link RotationStarted} is the write-ahead log entry of the rotation.
 */
public final class RotationStarter {

    private final PasswordGenerator generator;
    private final SealingKeys keys;

    public RotationStarter(PasswordGenerator generator, SealingKeys keys) {
        this.generator = Objects.requireNonNull(generator);
        this.keys = Objects.requireNonNull(keys);
    }

    /**
     * The value is sealed for the platform's audience: only its rotator, the secret writer and the orchestrator open
     * it. {@code generation} is the ManagedCredential's, so that services reading it back can tell it did not change.
     *
     * @throws io.rotor.contracts.password.UnsatisfiablePolicyException if the credential's password policy cannot
     *                                                                    be met
     */
    public RotationStarted start(String rotationId, RotationRequested request, ManagedCredentialSpec spec,
            long generation) {
        Map<String, SealedValue> material = Map.of();
        if (spec.strategy() != Strategy.MANUAL) {
            SecretValue value = generator.generate(spec.passwordPolicy(), spec.platform(), forbidden(spec));
            try {
                material = CredentialMaterial.of(Map.of(generatedField(spec), value))
                        .seal(keys.sealerFor(spec.platform()), rotationId, request.credential(), CredentialMaterial.Purpose.NEW);
            } finally {
                value.destroy();
            }
        }
        return new RotationStarted(rotationId, request.credential(), request.requestId(), request.requestedBy(),
                request.reason(), spec, material, generation, SpecDigest.of(spec));
    }

    /**
     * The field the orchestrator generates. A Keystone application credential is created by the rotator with a secret
     * chosen here (Keystone assigns the id); every other credential gets a new password. Manual rotations get their
     * value from the operator.
     */
    public static CredentialField generatedField(ManagedCredentialSpec spec) {
        if (spec.platform() == Platform.OPENSTACK_KEYSTONE && spec.strategy() == Strategy.NEW_IDENTITY) {
            return CredentialField.APPLICATION_CREDENTIAL_SECRET;
        }
        return CredentialField.PASSWORD;
    }

    /** Substrings a password must not contain: REC's complexity rule forbids the user's e-mail address. */
    static List<String> forbidden(ManagedCredentialSpec spec) {
        List<String> forbidden = new ArrayList<>();
        String username = spec.identity() == null ? null : spec.identity().username();
        if (username != null && !username.isBlank()) {
            forbidden.add(username);
            int at = username.indexOf('@');
            if (at > 2) {
                forbidden.add(username.substring(0, at));
            }
        }
        return forbidden;
    }
}
