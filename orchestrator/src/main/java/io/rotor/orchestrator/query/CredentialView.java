package io.rotor.orchestrator.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rotor.contracts.credential.RotationOutcomeKind;
import io.rotor.contracts.validation.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A ManagedCredential as the query API shows it.
 *
 * @param age          since the credential last changed for good (or, never rotated, since it was created)
 * @param phase        {@code Idle} or the state of the rotation in flight
 * @param problems     why the spec is invalid, if it is
 * @param actions      what the caller may do beyond viewing it: {@code rotate}, {@code confirm} (RBAC verbs)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CredentialView(String credential, String platform, String strategy, boolean valid,
        List<Violation> problems, String phase, String lastRotationId, RotationOutcomeKind lastOutcome,
        Instant lastSuccessTime, Duration age, Instant nextDue, String schedule, List<String> actions) {
}
