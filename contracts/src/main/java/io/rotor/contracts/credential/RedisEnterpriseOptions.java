package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;

/**
 * Redis Enterprise specifics. For {@code new-identity} the operator's RedisEnterpriseCluster resource named
 * {@code clusterName} gets the new admin's username, and the new user is created with {@code role}.
 */
public record RedisEnterpriseOptions(String clusterName, String role) implements Validatable {

    public String roleOrDefault() {
        return role == null ? "admin" : role;
    }

    @Override
    public void validate(Validator v) {
        v.dns1123Subdomain("clusterName", clusterName);
        v.maxLength("role", role, 64);
    }
}
