package io.rotor.orchestrator.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One rotation event as dashboards receive it over server-sent events: what happened, never a secret value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RotationEventView(String type, String rotationId, String credential, Instant at, String state,
        String step, String detail) {
}
