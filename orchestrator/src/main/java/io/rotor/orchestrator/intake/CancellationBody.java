package io.rotor.orchestrator.intake;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;

/**
 * The body of {@code POST /api/v1/rotations/{id}/cancel}; every field is optional, and so is the body.
 *
 * @param requestedBy recorded in the audit trail; {@code api} when absent
 * @param requestId   makes a retry safe; else the {@code Idempotency-Key} header, else generated
 */
public record CancellationBody(String reason, String requestedBy, String requestId) implements Validatable {

    static final CancellationBody EMPTY = new CancellationBody(null, null, null);

    @Override
    public void validate(Validator v) {
        v.maxLength("reason", reason, 1024);
        if (requestedBy != null) {
            v.matches("requestedBy", requestedBy, ConfirmationBody.ACTOR,
                    "1 to 128 letters, digits or '@._:/-' (such as user:alice)");
        }
        if (requestId != null) {
            v.matches("requestId", requestId, ConfirmationBody.REQUEST_ID,
                    "1 to 128 letters, digits, '.', '_', ':' or '-'");
        }
    }

    String actor() {
        return requestedBy == null ? ConfirmationBody.DEFAULT_ACTOR : requestedBy;
    }
}
