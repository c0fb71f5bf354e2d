package io.rotor.kit.lookup;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.CurrentValueReader;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reads the current value from the credential's first Secret when it has format {@code keys}: each mapped field
 * ({@code username}, {@code password}, ...) from its data key, exactly as stored (no trimming: a trailing newline is
 * part of the value the workloads read too). The password is required; other fields are taken when present.
 *
 * <p>Other formats fail with {@code secret_format_unsupported}. The secret writer's format readers (clouds-yaml,
 * openrc, template) are meant to replace this class once they are shared in the kit.
 */
public final class KeysFormatCurrentValueReader implements CurrentValueReader {

    private final SecretLookup secrets;

    public KeysFormatCurrentValueReader(SecretLookup secrets) {
        this.secrets = secrets;
    }

    @Override
    public CredentialMaterial read(CredentialRef credential, ManagedCredentialSpec spec) {
        SecretTarget target = spec.secretList().get(0);
        String where = "Secret " + credential.namespace() + "/" + target.name();
        if (target.format() != SecretFormat.KEYS) {
            throw new PlatformException(KitFailure.SECRET_FORMAT_UNSUPPORTED, "the current value is read from the "
                    + "first Secret listed, " + where + ", whose format is " + target.format().name().toLowerCase()
                    + "; this rotator reads the current value only from format keys: list a keys Secret first");
        }
        Map<String, byte[]> data = secrets.credentialData(credential, target.name()).orElseThrow(() ->
                new PlatformException(KitFailure.SECRET_NOT_FOUND, where + " holds the current value but does not "
                        + "exist"));
        Map<CredentialField, SecretValue> fields = new EnumMap<>(CredentialField.class);
        target.keys().forEach((fieldName, dataKey) -> {
            CredentialField field = CredentialField.fromKey(fieldName).orElseThrow();
            byte[] value = data.get(dataKey);
            if (value != null) {
                fields.put(field, SecretValue.of(new String(value, StandardCharsets.UTF_8)));
            }
        });
        if (!fields.containsKey(CredentialField.PASSWORD)) {
            String key = target.keys().get(CredentialField.PASSWORD.key());
            throw new PlatformException(KitFailure.SECRET_KEY_MISSING, where + (key == null
                    ? " maps no data key to the field password"
                    : " has no data key '" + key + "' with the current password"));
        }
        return CredentialMaterial.of(fields);
    }
}
