package io.rotor.contracts.validation;

import java.util.Objects;

/**
 * One thing wrong with input from outside: the field (a dotted path such as {@code spec.secrets[0].name}; empty for
 * the value as a whole) and why.
 */
public record Violation(String field, String reason) {

    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
    }

    /** This violation seen from one level up: {@code namespace} inside {@code credential} is {@code credential.namespace}. */
    public Violation under(String parent) {
        if (parent.isEmpty()) {
            return this;
        }
        return new Violation(field.isEmpty() ? parent : parent + "." + field, reason);
    }

    @Override
    public String toString() {
        return field.isEmpty() ? reason : field + ": " + reason;
    }
}
