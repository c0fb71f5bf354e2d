package io.rotor.orchestrator.intake;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.password.PasswordGenerator;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.Sealer;
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
    private final Sealer sealer;

    public RotationStarter(PasswordGenerator generator, Sealer sealer) {
        this.generator = Objects.requireNonNull(generator);
        this.sealer = Objects.requireNonNull(sealer);
    }

    /**
     * @throws io.rotor.contracts.password.UnsatisfiablePolicyException if the credential's password policy cannot
     *                                                                    be met
     */
    public RotationStarted start(String rotationId, RotationRequested request, ManagedCredentialSpec spec) {
        Map<String, SealedValue> material = Map.of();
        if (spec.strategy() != Strategy.MANUAL) {
            SecretValue value = generator.generate(spec.passwordPolicy(), spec.platform(), forbidden(spec));
            try {
                material = CredentialMaterial.of(Map.of(generatedField(spec), value))
                        .seal(sealer, rotationId, request.credential(), CredentialMaterial.Purpose.NEW);
            } finally {
                value.destroy();
            }
        }
        return new RotationStarted(rotationId, request.credential(), request.requestId(), request.requestedBy(),
                request.reason(), spec, material);
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
