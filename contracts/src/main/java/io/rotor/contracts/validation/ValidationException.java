package io.rotor.contracts.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Input from outside that Rotor refuses. The message lists every violation so that a user fixing a request sees all
 * problems at once, not one per round trip. Messages never quote submitted values, which may be secrets.
 */
public class ValidationException extends RuntimeException {

    private final List<Violation> violations;

    public ValidationException(List<Violation> violations) {
        super(describe(violations));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ValidationException needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    public static ValidationException of(String field, String reason) {
        return new ValidationException(List.of(new Violation(field, reason)));
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String describe(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("; ", "invalid input: ", ""));
    }
}
