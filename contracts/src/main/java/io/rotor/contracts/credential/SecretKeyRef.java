package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;

/** A key in a Secret in the credential's own namespace (a CA bundle, an admin login, a Vault token). */
public record SecretKeyRef(String name, String key) implements Validatable {

    @Override
    public void validate(Validator v) {
        if (v.required("name", name)) {
            v.dns1123Subdomain("name", name);
        }
        if (v.required("key", key)) {
            v.maxLength("key", key, 253).matches("key", key, SecretTarget.DATA_KEY,
                    "a Secret data key (letters, digits, '-', '_' and '.')");
        }
    }
}
