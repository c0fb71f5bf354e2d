package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;

/**
 * Config UI specifics: the Developer Portal an operator uses in manual mode, the admin user, and extra instructions
 * shown while the rotation waits for the operator.
 */
public record ConfigUiOptions(String portalUrl, String adminUser, String instructions) implements Validatable {

    @Override
    public void validate(Validator v) {
        Endpoint.checkUrl(v, "portalUrl", portalUrl);
        v.maxLength("adminUser", adminUser, 256);
        v.maxLength("instructions", instructions, 4096);
    }
}
