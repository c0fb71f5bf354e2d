package io.rotor.orchestrator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.rotor.contracts.credential.Platform;
import io.rotor.orchestrator.query.CredentialClock;
import io.rotor.orchestrator.query.RotationLog;
import io.rotor.orchestrator.query.RotationSummary;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.registry.RegisteredCredential;
import io.rotor.orchestrator.schedule.RotationScheduler;
import io.rotor.orchestrator.schedule.ScheduleCalculator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the read model shows, as gauges: {@code rotor_rotations_in_flight{platform}},
 * {@code rotor_rotations_stalled{platform}}, {@code rotor_credential_age_seconds{credential,platform}} and
 * {@code rotor_credential_overdue{credential,platform}} (1 when past its due date). Every replica has the whole read
 * model, so every replica reports the same values: aggregate them with {@code max}, not {@code sum}.
 */
public final class ReadModelGauges {

    private final CredentialRegistry registry;
    private final Clock clock;
    private final RotationScheduler scheduler = new RotationScheduler(new ScheduleCalculator());
    private final MultiGauge age;
    private final MultiGauge overdue;

    public ReadModelGauges(MeterRegistry meters, RotationLog log, CredentialRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        for (Platform platform : Platform.values()) {
            Predicate<RotationSummary> open = s -> platform.value().equals(s.platform()) && !s.dryRun()
                    && s.endedAt() == null;
            Gauge.builder("rotor.rotations.in.flight", log, l -> l.list(open, 0, 1).total())
                    .description("Rotations started and not yet ended")
                    .tag("platform", platform.value())
                    .register(meters);
            Gauge.builder("rotor.rotations.stalled", log, l -> l.list(open.and(RotationSummary::stalled), 0, 1)
                    .total())
                    .description("Rotations in flight that missed a step deadline")
                    .tag("platform", platform.value())
                    .register(meters);
        }
        this.age = MultiGauge.builder("rotor.credential.age").baseUnit("seconds")
                .description("Time since the credential last rotated successfully (or since it was created)")
                .register(meters);
        this.overdue = MultiGauge.builder("rotor.credential.overdue")
                .description("1 when the credential is past its next due date, else 0")
                .register(meters);
    }

    /** Brings the per-credential gauges up to date: credentials added, changed or gone. */
    public void refresh() {
        Instant now = clock.instant();
        List<MultiGauge.Row<?>> ages = new ArrayList<>();
        List<MultiGauge.Row<?>> due = new ArrayList<>();
        for (RegisteredCredential c : registry.all()) {
            if (!c.valid()) {
                continue;
            }
            CredentialClock times = CredentialClock.of(c, scheduler, now);
            Tags tags = Tags.of("credential", c.ref().asString(), "platform", c.spec().platform().value());
            if (times.age() != null) {
                ages.add(MultiGauge.Row.of(tags, times.age().toMillis() / 1000.0));
            }
            due.add(MultiGauge.Row.of(tags, times.overdue(now) ? 1 : 0));
        }
        age.register(ages, true);
        overdue.register(due, true);
    }
}
