package io.rotor.kit.timer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ManualTimersTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aTimerFiresOnlyWhenTheClockReachesItsMoment() {
        ManualTimers timers = new ManualTimers(T0);
        CompletableFuture<Void> fired = timers.after(Duration.ofMinutes(5)).toCompletableFuture();

        timers.advance(Duration.ofMinutes(4));
        assertThat(fired).isNotDone();
        timers.advance(Duration.ofMinutes(1));

        assertThat(fired).isDone();
        assertThat(timers.now()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(timers.pending()).isZero();
    }

    @Test
    void aMomentInThePastFiresAtOnce() {
        ManualTimers timers = new ManualTimers(T0);

        assertThat(timers.at(T0.minusSeconds(1)).toCompletableFuture()).isDone();
        assertThat(timers.at(T0).toCompletableFuture()).isDone();
    }

    @Test
    void scheduledTimersFireAfterTheirDelay() throws Exception {
        try (ScheduledTimers timers = new ScheduledTimers(java.time.Clock.systemUTC())) {
            long start = System.nanoTime();
            timers.after(Duration.ofMillis(50)).toCompletableFuture().get();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(45).toNanos());
            assertThat(timers.pending()).isZero();
        }
    }
}
