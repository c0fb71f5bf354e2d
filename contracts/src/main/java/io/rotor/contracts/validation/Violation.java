package io.rotor.contracts.validation;

import java.util.Objects;

/** One thing wrong with input from outside: the field (a dotted path such as {@code spec.secrets[0].name}) and why. */
public record Violation(String field, String reason) {

    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
