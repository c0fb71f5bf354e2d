package io.rotor.orchestrator.intake;

import io.rotor.contracts.sealing.SecretValue;
import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/rotations/{id}/confirm}. The password prints as {@code [redacted]} and is sealed
 * (then destroyed) as soon as the body is read; no answer repeats it.
 *
 * @param password    the password the operator set in the product
 * @param confirmedBy a name the caller adds; only logged beside the authenticated caller, who is recorded
 * @param requestId   makes a retry safe; else the {@code Idempotency-Key} header, else generated
 */
public record ConfirmationBody(SecretValue password, String confirmedBy, String requestId) implements Validatable {

    static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9@._:/-]{1,128}");
    static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final int MAX_PASSWORD_BYTES = 1024;

    @Override
    public void validate(Validator v) {
        if (v.required("password", password)) {
            if (password.isEmpty()) {
                v.fail("password", "must not be empty");
            } else if (password.byteLength() > MAX_PASSWORD_BYTES) {
                v.fail("password", "is longer than " + MAX_PASSWORD_BYTES + " bytes");
            }
        }
        if (confirmedBy != null) {
            v.matches("confirmedBy", confirmedBy, ACTOR, "1 to 128 letters, digits or '@._:/-' (such as user:alice)");
        }
        if (requestId != null) {
            v.matches("requestId", requestId, REQUEST_ID, "1 to 128 letters, digits, '.', '_', ':' or '-'");
        }
    }

    @Override
    public String toString() {
        return "ConfirmationBody[by " + confirmedBy + ", request " + requestId + "]";
    }
}
