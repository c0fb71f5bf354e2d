package io.rotor.orchestrator.intake;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rotor.contracts.event.RotationPlan;

/**
 * The answer to {@code POST /api/v1/rotations}.
 *
 * @param status {@code STARTED}, {@code COALESCED} (joined the rotation in flight), {@code PLANNED} (dry run) or
 *               {@code PENDING} (queued, not answered within the wait; the Location lists it by request id)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RotationAccepted(String rotationId, String requestId, String credential, String status,
        RotationPlan plan) {
}
