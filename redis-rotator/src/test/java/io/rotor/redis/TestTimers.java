package io.rotor.redis;

import io.rotor.kit.timer.ManualTimers;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Instant;

/** In the service's tests, time moves when the test says: propagation delays pass without waiting. */
public class TestTimers {

    public static final Instant START = Instant.parse("2026-03-01T02:00:00Z");

    @Produces
    @Singleton
    ManualTimers timers() {
        return new ManualTimers(START);
    }
}
