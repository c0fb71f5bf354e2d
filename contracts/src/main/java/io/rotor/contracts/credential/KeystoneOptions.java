package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;

/**
 * Keystone specifics. {@code adminSecretRef} switches password rotation to admin mode ({@code PATCH /v3/users/{id}}
 * with an admin's credential, a clouds.yaml whose cloud {@code adminCloud} is used) for users whose current password
 * is unknown.
 */
public record KeystoneOptions(SecretKeyRef adminSecretRef, String adminCloud,
        ApplicationCredentialOptions applicationCredential) implements Validatable {

    public boolean adminMode() {
        return adminSecretRef != null;
    }

    @Override
    public void validate(Validator v) {
        v.check("adminSecretRef", adminSecretRef);
        v.maxLength("adminCloud", adminCloud, 253);
        if (adminSecretRef != null) {
            v.required("adminCloud", adminCloud);
        }
        v.check("applicationCredential", applicationCredential);
    }
}
