package io.rotor.kit.health;

import io.rotor.kit.KitConfig;
import io.rotor.kit.messaging.InFlightRecords;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN when a record has been in progress for longer than {@code rotor.health.stuck-after}: the consumer stands still
 * behind it while its channel still looks connected, so only a restart (which reads the record again) moves it.
 */
@Liveness
@ApplicationScoped
public class ConsumerProgressCheck implements HealthCheck {

    static final String NAME = "Rotor consumers moving";

    private final InFlightRecords inFlight;
    private final Duration stuckAfter;
    private final Clock clock;

    @Inject
    public ConsumerProgressCheck(InFlightRecords inFlight, KitConfig config) {
        this(inFlight, config.health().stuckAfter(), Clock.systemUTC());
    }

    public ConsumerProgressCheck(InFlightRecords inFlight, Duration stuckAfter, Clock clock) {
        this.inFlight = inFlight;
        this.stuckAfter = stuckAfter;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        Optional<InFlightRecords.InFlight> oldest = inFlight.oldest();
        boolean stuck = oldest.map(r -> Duration.between(r.since(), clock.instant()).compareTo(stuckAfter) >= 0)
                .orElse(false);
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(!stuck)
                .withData("inProgress", inFlight.size()).withData("stuckAfter", stuckAfter.toString());
        oldest.ifPresent(r -> response.withData("oldest", r.position() + " since " + r.since()));
        return response.build();
    }
}
