package io.rotor.orchestrator.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rotor.contracts.event.RotationPlan;
import io.rotor.contracts.saga.Step;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A rotation with its timeline: every event in order, per-step durations once it ended, the requests that joined it,
 * and for a dry run the plan. Never a secret value, sealed or not.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RotationDetail(RotationSummary summary, List<TimelineEntry> timeline, Map<Step, Duration> stepDurations,
        List<String> joinedRequests, String lastError, RotationPlan plan) {
}
