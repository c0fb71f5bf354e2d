package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** How new Keystone application credentials are made: name prefix (the rotation id is appended), roles, lifetime. */
public record ApplicationCredentialOptions(String namePrefix, List<String> roles, Duration expiresAfter,
        Boolean unrestricted) implements Validatable {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public String namePrefixOrDefault() {
        return namePrefix == null ? "rotor" : namePrefix;
    }

    @Override
    public void validate(Validator v) {
        v.maxLength("namePrefix", namePrefix, 64).matches("namePrefix", namePrefix, NAME, "letters, digits, '.', '_' or '-'");
        v.maxSize("roles", roles, 32);
        if (roles != null) {
            for (int i = 0; i < roles.size(); i++) {
                if (roles.get(i) == null || roles.get(i).isBlank() || roles.get(i).length() > 255) {
                    v.fail("roles[" + i + "]", "must be a role name of 1 to 255 characters");
                }
            }
        }
        v.positive("expiresAfter", expiresAfter);
    }
}
