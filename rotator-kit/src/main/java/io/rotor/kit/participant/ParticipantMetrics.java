package io.rotor.kit.participant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What a rotator reports, per platform and step: {@code rotor.rotator.steps} (a timer; outcome {@code changed},
 * {@code unchanged} for a redelivery that found the work done, or {@code failed}),
 * {@code rotor.rotator.step.failures} (a counter by error code and whether it was retried),
 * {@code rotor.rotator.retirements.pending} (revokes waiting for their propagation delay) and
 * {@code rotor.rotator.commands.in.flight}.
 */
public final class ParticipantMetrics {

    private final MeterRegistry registry;

    public ParticipantMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void completed(StepScope scope, Duration duration, boolean changed) {
        timer(scope, changed ? "changed" : "unchanged").record(duration);
    }

    void failedFinally(StepScope scope, Duration duration, FailureCode code) {
        timer(scope, "failed").record(duration);
        failed(scope, code, false);
    }

    void failed(StepScope scope, FailureCode code, boolean retried) {
        Counter.builder("rotor.rotator.step.failures")
                .description("Failed attempts of rotation steps, by error code; retried ones were tried again")
                .tag("platform", scope.platform().value())
                .tag("step", scope.step().name())
                .tag("code", code.code())
                .tag("retried", Boolean.toString(retried))
                .register(registry).increment();
    }

    void gauges(Supplier<Number> pendingRetirements, Supplier<Number> commandsInFlight) {
        Gauge.builder("rotor.rotator.retirements.pending", pendingRetirements)
                .description("Old or new values waiting for their propagation delay before they are removed")
                .register(registry);
        Gauge.builder("rotor.rotator.commands.in.flight", commandsInFlight)
                .description("Rotate commands being worked on")
                .register(registry);
    }

    private Timer timer(StepScope scope, String outcome) {
        return Timer.builder("rotor.rotator.steps")
                .description("Rotation steps done by this rotator, from start (or, for revokes, from the event that "
                        + "started the propagation wait) to the answer")
                .tag("platform", scope.platform().value())
                .tag("step", scope.step().name())
                .tag("outcome", outcome)
                .register(registry);
    }
}
