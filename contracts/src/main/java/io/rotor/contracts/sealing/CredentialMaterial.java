package io.rotor.contracts.sealing;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The plain fields of one credential value (a password; a username and password; an application credential's id and
 * secret). Prints only which fields it holds. Events carry it {@linkplain #seal sealed}, one field at a time.
 */
public final class CredentialMaterial {

    /** Whether the material is the value being introduced or the one being retired; bound into each seal. */
    public enum Purpose {
        NEW("new"),
        PREVIOUS("previous");

        private final String prefix;

        Purpose(String prefix) {
            this.prefix = prefix;
        }

        String field(CredentialField field) {
            return prefix + "/" + field.key();
        }
    }

    private final Map<CredentialField, SecretValue> fields;

    private CredentialMaterial(Map<CredentialField, SecretValue> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    public static CredentialMaterial of(Map<CredentialField, SecretValue> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("credential material needs at least one field");
        }
        return new CredentialMaterial(new EnumMap<>(fields));
    }

    public static CredentialMaterial password(SecretValue password) {
        return of(Map.of(CredentialField.PASSWORD, password));
    }

    public static CredentialMaterial usernameAndPassword(String username, SecretValue password) {
        return of(Map.of(CredentialField.USERNAME, SecretValue.of(username), CredentialField.PASSWORD, password));
    }

    public Optional<SecretValue> get(CredentialField field) {
        return Optional.ofNullable(fields.get(field));
    }

    public SecretValue require(CredentialField field) {
        SecretValue value = fields.get(field);
        if (value == null) {
            throw new IllegalStateException("the credential material has no " + field.key() + " (it has "
                    + fields.keySet().stream().map(CredentialField::key).toList() + ")");
        }
        return value;
    }

    public Map<CredentialField, SecretValue> fields() {
        return fields;
    }

    /** Seals every field under its own context, keyed by field name as events carry it. */
    public Map<String, SealedValue> seal(Sealer sealer, String rotationId, CredentialRef credential, Purpose purpose) {
        Map<String, SealedValue> sealed = new LinkedHashMap<>();
        fields.forEach((field, value) ->
                sealed.put(field.key(), sealer.seal(value, new SealContext(rotationId, credential, purpose.field(field)))));
        return sealed;
    }

    /** Opens what {@link #seal} produced for the same rotation, credential and purpose. */
    public static CredentialMaterial open(Sealer sealer, Map<String, SealedValue> sealed, String rotationId,
            CredentialRef credential, Purpose purpose) {
        Map<CredentialField, SecretValue> fields = new EnumMap<>(CredentialField.class);
        sealed.forEach((name, value) -> {
            CredentialField field = CredentialField.fromKey(name).orElseThrow(() -> new SealingException(
                    SealingException.Reason.MALFORMED, "sealed material names an unknown field '" + name + "'"));
            fields.put(field, sealer.open(value, new SealContext(rotationId, credential, purpose.field(field))));
        });
        return of(fields);
    }

    @Override
    public String toString() {
        return "CredentialMaterial" + fields.keySet().stream().map(CredentialField::key).toList() + "[redacted]";
    }
}
