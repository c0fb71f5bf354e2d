package io.rotor.contracts.envelope;

import io.rotor.contracts.validation.Violation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A record Rotor will not process. Consumers send it to {@code rotor.dlq} with {@link #reason()} in a header and move
 * on. The message names fields and rules, never submitted values.
 */
public class RejectedRecord extends RuntimeException {

    public enum Reason {
        OVERSIZED,
        NOT_A_CLOUDEVENT,
        UNSUPPORTED_SPEC_VERSION,
        UNKNOWN_TYPE,
        WRONG_TOPIC,
        UNSUPPORTED_CONTENT_TYPE,
        KEY_MISMATCH,
        MALFORMED_JSON,
        INVALID_FIELDS
    }

    private final Reason reason;
    private final List<Violation> violations;

    public RejectedRecord(Reason reason, String message) {
        this(reason, message, List.of());
    }

    public RejectedRecord(Reason reason, String message, List<Violation> violations) {
        super(message + (violations.isEmpty() ? ""
                : violations.stream().map(Violation::toString).collect(Collectors.joining("; ", ": ", ""))));
        this.reason = reason;
        this.violations = List.copyOf(violations);
    }

    public Reason reason() {
        return reason;
    }

    public List<Violation> violations() {
        return violations;
    }
}
