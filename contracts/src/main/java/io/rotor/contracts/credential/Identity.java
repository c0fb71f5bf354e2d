package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;

/**
 * Whose credential this is: a Redis or REC user (for REC the username is the admin's e-mail), or a Keystone user
 * given by id, or by name plus domain.
 */
public record Identity(String username, String userId, String domain) implements Validatable {

    @Override
    public void validate(Validator v) {
        v.maxLength("username", username, 256);
        v.maxLength("userId", userId, 128);
        v.maxLength("domain", domain, 256);
        if (username != null && username.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            v.fail("username", "must not contain whitespace or control characters");
        }
    }
}
