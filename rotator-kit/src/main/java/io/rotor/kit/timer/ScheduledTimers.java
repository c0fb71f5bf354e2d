package io.rotor.kit.timer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Timers on one scheduler thread. The delay is computed from the clock when the timer is set; a timer is only a
 * reminder kept in memory, so whatever waits on one must be able to set it again after a restart (the participant
 * runtime re-arms revokes from the event's {@code ce_time} when Kafka redelivers the unacknowledged record).
 */
public final class ScheduledTimers implements Timers, AutoCloseable {

    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger pending = new AtomicInteger();

    public ScheduledTimers(Clock clock) {
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rotor-timers");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public CompletionStage<Void> at(Instant due) {
        long delayMillis = Math.max(0, Duration.between(clock.instant(), due).toMillis());
        if (delayMillis == 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> fired = new CompletableFuture<>();
        pending.incrementAndGet();
        scheduler.schedule(() -> {
            pending.decrementAndGet();
            fired.complete(null);
        }, delayMillis, TimeUnit.MILLISECONDS);
        return fired;
    }

    @Override
    public int pending() {
        return pending.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
