package io.rotor.kit.timer;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The system clock and scheduler thread, unless a test or a service provides its own. */
public class TimerProducer {

    @Produces
    @Singleton
    @DefaultBean
    Timers timers() {
        return new ScheduledTimers(Clock.systemUTC());
    }

    void close(@Disposes Timers timers) {
        if (timers instanceof ScheduledTimers scheduled) {
            scheduled.close();
        }
    }
}
