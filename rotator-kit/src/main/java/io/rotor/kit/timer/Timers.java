package io.rotor.kit.timer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Time for the participant runtime: a clock and stages that complete when a moment has come. Nothing in the kit sleeps
 * or reads the system clock directly, so tests move a {@link ManualTimers} clock instead of waiting.
 *
 * <p>A returned stage completes on the timer's own thread: continue with an {@code ...Async} variant on a worker
 * executor before doing I/O.
 */
public interface Timers {

    Clock clock();

    default Instant now() {
        return clock().instant();
    }

    /** Completes at or after {@code due}; at once when {@code due} has passed. */
    CompletionStage<Void> at(Instant due);

    default CompletionStage<Void> after(Duration delay) {
        return at(now().plus(delay));
    }

    /** How many stages are waiting for their moment (for metrics and tests). */
    int pending();
}
