package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;

/**
 * Config UI specifics: the Developer Portal (where an operator changes the password in manual mode, and where the
 * recipe's requests go in {@code replace} mode), the admin user, extra instructions shown while a manual rotation
 * waits, and the HTTP recipe for installations that expose one.
 */
public record ConfigUiOptions(String portalUrl, String adminUser, String instructions, HttpRecipe recipe)
        implements Validatable {

    @Override
    public void validate(Validator v) {
        Endpoint.checkUrl(v, "portalUrl", portalUrl);
        v.maxLength("adminUser", adminUser, 256);
        v.maxLength("instructions", instructions, 4096);
        v.check("recipe", recipe);
    }
}
