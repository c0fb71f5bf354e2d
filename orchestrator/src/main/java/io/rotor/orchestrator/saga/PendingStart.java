package io.rotor.orchestrator.saga;

import java.time.Instant;

/**
 * A RotationStarted this owner published that has not come back from {@code rotor.events} yet. Requests arriving
 * meanwhile join it; reading it back from the log is what makes it the credential's rotation (see
 * {@link SagaProgress}).
 */
public record PendingStart(String rotationId, String requestId, Instant at) {
}
