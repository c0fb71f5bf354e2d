package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;

/**
 * Redis OSS specifics: the ACL user the rotator logs in as on every node to change the rotated user's passwords. An
 * application user rarely may run {@code ACL SETUSER}; without {@code adminSecretRef} the rotator logs in as the
 * rotated user itself, which then needs the {@code +acl} permission.
 *
 * @param adminUsername  the admin ACL user, default {@code default}
 * @param adminSecretRef the admin's password, in a Secret of the credential's namespace
 */
public record RedisAclOptions(String adminUsername, SecretKeyRef adminSecretRef) implements Validatable {

    public String adminUsernameOrDefault() {
        return adminUsername == null ? "default" : adminUsername;
    }

    @Override
    public void validate(Validator v) {
        v.maxLength("adminUsername", adminUsername, 256);
        if (adminUsername != null && adminUsername.chars().anyMatch(c -> Character.isWhitespace(c)
                || Character.isISOControl(c))) {
            v.fail("adminUsername", "must not contain whitespace or control characters");
        }
        v.check("adminSecretRef", adminSecretRef);
        if (adminUsername != null && adminSecretRef == null) {
            v.fail("adminSecretRef", "is required with adminUsername: the admin's password");
        }
    }
}
