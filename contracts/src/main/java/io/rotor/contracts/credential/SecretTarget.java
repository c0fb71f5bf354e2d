package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One Secret that holds a copy of the credential, in the credential's namespace. The first Secret a credential lists
 * is where rotators read the current value from.
 *
 * @param keys     for {@code keys}: credential field ({@code username}, {@code password}, ...) to data key
 * @param key      for file formats: the data key holding the file ({@code clouds.yaml}, {@code openrc}, ...)
 * @param cloud    for {@code clouds-yaml}: the cloud whose auth changes
 * @param template for {@code template}: text with {@code {{field}}} placeholders
 * @param create   create the Secret when it is missing; otherwise a missing Secret fails the step
 */
public record SecretTarget(String name, SecretFormat format, Map<String, String> keys, String key, String cloud,
        String template, Boolean create) implements Validatable {

    static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    static final int MAX_TEMPLATE = 16 * 1024;

    public boolean createIfMissing() {
        return Boolean.TRUE.equals(create);
    }

    /** The data key of a file format, with the conventional default. */
    public String fileKey() {
        if (key != null) {
            return key;
        }
        return switch (format) {
            case CLOUDS_YAML -> "clouds.yaml";
            case OPENRC -> "openrc";
            case TEMPLATE -> "config";
            case KEYS -> throw new IllegalStateException("format keys has no single file key");
        };
    }

    @Override
    public void validate(Validator v) {
        if (v.required("name", name)) {
            v.dns1123Subdomain("name", name);
        }
        v.required("format", format);
        if (key != null) {
            v.maxLength("key", key, 253).matches("key", key, DATA_KEY, "a Secret data key (letters, digits, '-', '_' and '.')");
        }
        v.maxLength("cloud", cloud, 253);
        v.maxLength("template", template, MAX_TEMPLATE);
        if (format == null) {
            return;
        }
        switch (format) {
            case KEYS -> {
                if (keys == null || keys.isEmpty()) {
                    v.fail("keys", "is required for format keys: map credential fields to data keys");
                } else {
                    keys.forEach((field, dataKey) -> {
                        if (CredentialField.fromKey(field).isEmpty()) {
                            v.fail("keys." + field, "is not a credential field (username, password, "
                                    + "applicationCredentialId, applicationCredentialSecret)");
                        }
                        if (dataKey == null || !DATA_KEY.matcher(dataKey).matches() || dataKey.length() > 253) {
                            v.fail("keys." + field, "must name a Secret data key (letters, digits, '-', '_' and '.')");
                        }
                    });
                }
            }
            case CLOUDS_YAML -> v.required("cloud", cloud);
            case TEMPLATE -> v.required("template", template);
            case OPENRC -> {
                // The variables of an openrc file are fixed by OpenStack's clients.
            }
        }
        if (format != SecretFormat.KEYS && keys != null && !keys.isEmpty()) {
            v.fail("keys", "applies only to format keys");
        }
    }
}
