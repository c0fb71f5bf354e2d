package io.rotor.k8s;

import java.time.Duration;

/**
 * Exponential backoff with a cap and a bound on attempts: {@code initial}, twice that, ... up to {@code max}; after
 * {@code maxAttempts} attempts the caller gives up.
 */
public record Backoff(Duration initial, Duration max, int maxAttempts) {

    public Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max and at least one attempt");
        }
    }

    /** The pause after failed attempt {@code attempt} (1-based). */
    public Duration delayAfter(int attempt) {
        Duration delay = initial;
        for (int i = 1; i < attempt && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    public boolean exhausted(int attempt) {
        return attempt >= maxAttempts;
    }
}
