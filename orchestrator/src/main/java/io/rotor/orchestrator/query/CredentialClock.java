package io.rotor.orchestrator.query;

import io.rotor.contracts.credential.ManagedCredentialStatus;
import io.rotor.orchestrator.registry.RegisteredCredential;
import io.rotor.orchestrator.schedule.RotationScheduler;
import java.time.Duration;
import java.time.Instant;

/**
 * A credential's age and due date as the dashboard, the API and the metrics all show them: age counts from the last
 * successful rotation (or, never rotated, from when the ManagedCredential was created); the next due date is the
 * one in its status, else the one its schedule gives.
 *
 * @param lastSuccess null when never rotated
 * @param age         null when neither a success nor a creation time is known
 * @param nextDue     null without a schedule
 */
public record CredentialClock(Instant lastSuccess, Duration age, Instant nextDue) {

    public static CredentialClock of(RegisteredCredential c, RotationScheduler scheduler, Instant now) {
        ManagedCredentialStatus status = c.status();
        Instant lastSuccess = status == null ? null : status.lastSuccessTime();
        Instant since = lastSuccess != null ? lastSuccess : c.createdAt();
        Instant nextDue = status != null && status.nextDue() != null ? status.nextDue()
                : scheduler.nextDue(c, null).orElse(null);
        return new CredentialClock(lastSuccess, since == null ? null : Duration.between(since, now), nextDue);
    }

    /** Due and not yet rotated. */
    public boolean overdue(Instant now) {
        return nextDue != null && now.isAfter(nextDue);
    }
}
