package io.rotor.orchestrator.intake;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;

/**
 * The body of {@code POST /api/v1/rotations/{id}/cancel}; every field is optional, and so is the body.
 *
 * @param requestedBy a name the caller adds; kept as a note in the reason (the authenticated caller is recorded)
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

    /** The reason as recorded: the caller's, with the name it added (if any) as a note. */
    String reasonFor(String actor) {
        return CallerNote.append(reason, requestedBy, actor);
    }
}
