package io.rotor.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rotor.contracts.event.RotationCancelled;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.RotationFailed;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationRolledBack;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.saga.Step;
import io.rotor.orchestrator.saga.FinishedRotation;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How rotations end, counted where they end: in the member that owns the credential's saga, once per outcome it
 * publishes, so that the counts of several replicas add up instead of repeating each other. Exported as
 * {@code rotor_rotations_total{platform,outcome}}, {@code rotor_rotation_duration_seconds{platform,outcome}} (request
 * to end) and {@code rotor_step_duration_seconds{platform,step}} (each step of an ended rotation).
 */
public final class RotationMetrics {

    /** Histogram buckets from a quick Redis rotation (seconds) to a REC rotation waiting out its overlap (hours). */
    private static final Duration[] ROTATION_BUCKETS = {Duration.ofSeconds(5), Duration.ofSeconds(15),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
        Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3),
        Duration.ofHours(12), Duration.ofDays(1)};
    private static final Duration[] STEP_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1),
        Duration.ofHours(6)};

    private final MeterRegistry registry;

    public RotationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Records the outcomes among the events an owner just published (and persisted).
     *
     * @param finished the credential's last ended rotation after this decision, for the total duration; may be null
     * @param platform the credential's platform ({@code unknown} when the registry no longer has it)
     */
    public void published(List<RotorEvent> events, FinishedRotation finished, String platform) {
        for (RotorEvent event : events) {
            if (event instanceof RotationCompleted c) {
                ended(platform, "completed", c.rotationId(), finished, c.stepDurations());
            } else if (event instanceof RotationFailed f) {
                ended(platform, "failed", f.rotationId(), finished, f.stepDurations());
            } else if (event instanceof RotationRolledBack r) {
                ended(platform, "rolled_back", r.rotationId(), finished, r.stepDurations());
            } else if (event instanceof RotationCancelled c) {
                ended(platform, "cancelled", c.rotationId(), finished, Map.of());
            } else if (event instanceof RotationRejected) {
                count(platform, "rejected");
            }
        }
    }

    private void ended(String platform, String outcome, String rotationId, FinishedRotation finished,
            Map<Step, Duration> steps) {
        count(platform, outcome);
        if (finished != null && rotationId.equals(finished.rotationId()) && finished.startedAt() != null
                && finished.endedAt() != null && !finished.endedAt().isBefore(finished.startedAt())) {
            Timer.builder("rotor.rotation.duration")
                    .description("Rotations from request to end, by outcome")
                    .tag("platform", platform)
                    .tag("outcome", outcome)
                    .serviceLevelObjectives(ROTATION_BUCKETS)
                    .register(registry)
                    .record(Duration.between(finished.startedAt(), finished.endedAt()));
        }
        if (steps != null) {
            steps.forEach((step, duration) -> Timer.builder("rotor.step.duration")
                    .description("Steps of ended rotations, from the step before to this one's event")
                    .tag("platform", platform)
                    .tag("step", step.name())
                    .serviceLevelObjectives(STEP_BUCKETS)
                    .register(registry)
                    .record(duration));
        }
    }

    private void count(String platform, String outcome) {
        Counter.builder("rotor.rotations")
                .description("Rotations that ended (or were refused), by outcome")
                .tag("platform", platform)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
