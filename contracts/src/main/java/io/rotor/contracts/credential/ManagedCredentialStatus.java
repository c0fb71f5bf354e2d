package io.rotor.contracts.credential;

import java.time.Instant;

/**
 * Written by the orchestrator only.
 *
 * @param lastSuccessTime when the credential last changed for good; its age is measured from here
 * @param phase           {@code Idle}, or the running rotation's saga state
 */
public record ManagedCredentialStatus(
        Long observedGeneration,
        String phase,
        String lastRotationId,
        RotationOutcomeKind lastOutcome,
        Instant lastRotationTime,
        Instant lastSuccessTime,
        Instant nextDue,
        String message) {
}
