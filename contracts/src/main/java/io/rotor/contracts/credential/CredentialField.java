package io.rotor.contracts.credential;

import java.util.Arrays;
import java.util.Optional;

/** The fields a credential can carry. Each is sealed separately, bound to its name. */
public enum CredentialField {
    USERNAME("username", false),
    PASSWORD("password", true),
    APPLICATION_CREDENTIAL_ID("applicationCredentialId", false),
    APPLICATION_CREDENTIAL_SECRET("applicationCredentialSecret", true);

    private final String key;
    private final boolean secret;

    CredentialField(String key, boolean secret) {
        this.key = key;
        this.secret = secret;
    }

    /** The name used in specs (Secret key mappings, templates) and as the sealing field. */
    public String key() {
        return key;
    }

    /** Whether the field is itself a secret; identifiers are sealed too, but may appear in plans and logs. */
    public boolean secret() {
        return secret;
    }

    public static Optional<CredentialField> fromKey(String key) {
        return Arrays.stream(values()).filter(f -> f.key.equals(key)).findFirst();
    }
}
