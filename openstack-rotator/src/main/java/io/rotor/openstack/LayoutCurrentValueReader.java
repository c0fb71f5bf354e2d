package io.rotor.openstack;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.lookup.SecretLookup;
import io.rotor.kit.participant.CurrentValueReader;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.secret.SecretLayout;
import io.rotor.kit.secret.SecretLayoutException;
import java.util.Map;

/**
 * Reads the current value from the credential's first Secret in any of the formats the secret writer writes:
 * {@code keys}, {@code clouds-yaml} (the named cloud's {@code auth}), {@code openrc} ({@code OS_PASSWORD}, ...) or
 * {@code template}, with the kit's {@link SecretLayout}s. OpenStack credentials usually live in a clouds.yaml or an
 * openrc file, which the kit's default reader (keys only) cannot read.
 */
public final class LayoutCurrentValueReader implements CurrentValueReader {

    private final SecretLookup secrets;

    public LayoutCurrentValueReader(SecretLookup secrets) {
        this.secrets = secrets;
    }

    @Override
    public CredentialMaterial read(CredentialRef credential, ManagedCredentialSpec spec) {
        SecretTarget first = spec.secretList().get(0);
        String where = "Secret " + credential.namespace() + "/" + first.name();
        Map<String, byte[]> data = secrets.credentialData(credential, first.name()).orElseThrow(() ->
                new PlatformException(KitFailure.SECRET_NOT_FOUND, where + " holds the current value but does not "
                        + "exist"));
        Map<CredentialField, SecretValue> fields;
        try {
            fields = SecretLayout.of(first).read(data);
        } catch (SecretLayoutException e) {
            throw new PlatformException(e.reason() == SecretLayoutException.Reason.MISSING
                    ? KitFailure.SECRET_KEY_MISSING : KitFailure.SECRET_FORMAT_UNSUPPORTED,
                    "the current value cannot be read from " + where + ": " + e.getMessage(), e);
        }
        if (fields.isEmpty()) {
            SecretLayout layout = SecretLayout.of(first);
            throw new PlatformException(KitFailure.SECRET_KEY_MISSING, where + " holds no credential at "
                    + layout.fields().stream().map(layout::describe).toList());
        }
        return CredentialMaterial.of(fields);
    }
}
