package io.rotor.kit.secret;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.sealing.SecretValue;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Format {@code keys}: each credential field under its own data key ({@code username}, {@code .mlc_password}). */
public final class KeysLayout implements SecretLayout {

    private final Map<CredentialField, String> keys;

    KeysLayout(Map<String, String> fieldToKey) {
        if (fieldToKey == null || fieldToKey.isEmpty()) {
            throw new IllegalArgumentException("format keys needs at least one field-to-key mapping");
        }
        Map<CredentialField, String> mapped = new EnumMap<>(CredentialField.class);
        fieldToKey.forEach((field, key) -> mapped.put(CredentialField.fromKey(field).orElseThrow(() ->
                new IllegalArgumentException("'" + field + "' is not a credential field")), key));
        this.keys = Collections.unmodifiableMap(mapped);
    }

    @Override
    public Map<CredentialField, SecretValue> read(Map<String, byte[]> data) {
        Map<CredentialField, SecretValue> found = new EnumMap<>(CredentialField.class);
        keys.forEach((field, key) -> {
            byte[] bytes = data.get(key);
            if (bytes != null) {
                found.put(field, SecretValue.of(Utf8Text.decode(bytes, "key '" + key + "'")));
            }
        });
        return found;
    }

    @Override
    public Map<String, byte[]> write(Map<String, byte[]> data, Map<CredentialField, SecretValue> fields) {
        Map<String, byte[]> result = new LinkedHashMap<>(data);
        keys.forEach((field, key) -> {
            SecretValue value = fields.get(field);
            if (value != null) {
                result.put(key, Utf8Text.encode(value.reveal()));
            }
        });
        return result;
    }

    @Override
    public Set<String> dataKeys() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(keys.values()));
    }

    @Override
    public Set<CredentialField> fields() {
        return Collections.unmodifiableSet(EnumSet.copyOf(keys.keySet()));
    }

    @Override
    public String describe(CredentialField field) {
        String key = keys.get(field);
        return key == null ? "no key (format keys maps no key to " + field.key() + ")" : "key '" + key + "'";
    }
}
