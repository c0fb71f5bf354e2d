package io.rotor.orchestrator.saga;

import io.rotor.contracts.credential.RotationOutcomeKind;
import java.time.Instant;

/** The last rotation of a credential that ended, kept for status, age and scheduling. */
public record FinishedRotation(String rotationId, RotationOutcomeKind outcome, Instant startedAt, Instant endedAt,
        String requestedBy, String message) {
}
