package io.rotor.orchestrator.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;

/**
 * One thing that happened to a rotation, for its timeline.
 *
 * @param event    the event type's short name, such as {@code StepCompleted}
 * @param source   the service that reported it ({@code ce_source})
 * @param duration for a completed step, what the participant reported it took
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimelineEntry(Instant at, String event, String source, String step, String detail, Duration duration) {
}
