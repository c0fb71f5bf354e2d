package io.rotor.orchestrator.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;

/**
 * A rotation in lists.
 *
 * @param state where it stands: a saga state ({@code STARTED} ... {@code COMPLETED}), or {@code PLANNED} for a dry run
 * @param stalled whether a deadline passed in its current state without progress
 * @param operator a manual rotation's task for its operator; null for other rotations
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RotationSummary(String rotationId, String credential, String platform, String strategy, String state,
        boolean stalled, boolean dryRun, String requestId, String requestedBy, String reason, Instant startedAt,
        Instant updatedAt, Instant endedAt, Duration total, OperatorTask operator) {
}
