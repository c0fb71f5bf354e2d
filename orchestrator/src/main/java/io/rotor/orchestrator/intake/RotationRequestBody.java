package io.rotor.orchestrator.intake;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.ConflictPolicy;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.ValidationException;
import io.rotor.contracts.validation.Validator;
import java.util.UUID;

/**
 * The body of {@code POST /api/v1/rotations}.
 *
 * @param credential  {@code namespace/name} of a ManagedCredential
 * @param requestId   chosen by the caller to make retries safe; generated when absent
 * @param onConflict  {@code COALESCE} (default) joins a rotation in flight, {@code REJECT} refuses
 * @param requestedBy a name the caller adds; the audit trail records the authenticated caller, and this only as a
 *                    note in the reason
 */
public record RotationRequestBody(String credential, String reason, Boolean dryRun, String requestId,
        ConflictPolicy onConflict, String requestedBy) implements Validatable {

    @Override
    public void validate(Validator v) {
        if (v.required("credential", credential)) {
            try {
                CredentialRef.parse(credential);
            } catch (ValidationException e) {
                e.violations().forEach(x -> v.fail(x.under("credential").field().isEmpty() ? "credential"
                        : x.under("credential").field(), x.reason()));
            }
        }
    }

    /**
     * The request as it goes on {@code rotor.requests}, made by {@code actor} (the authenticated caller); validated
     * there by the contract's own rules.
     */
    public RotationRequested toRequest(String idempotencyKey, String actor) {
        String id = requestId != null ? requestId : idempotencyKey != null ? idempotencyKey
                : "api-" + UUID.randomUUID();
        return new RotationRequested(id, CredentialRef.parse(credential), CallerNote.append(reason, requestedBy,
                actor), Boolean.TRUE.equals(dryRun), actor, onConflict);
    }
}
