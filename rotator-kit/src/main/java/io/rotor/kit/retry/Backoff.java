package io.rotor.kit.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with a bound: attempt {@code n} (from 1) waits {@code initial * multiplier^(n-1)}, at most
 * {@code max}, spread by {@code ±jitter} so that many credentials failing together do not retry in lockstep. After
 * {@code maxAttempts} attempts the failure is final.
 */
public record Backoff(Duration initial, double multiplier, Duration max, int maxAttempts, double jitter) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("backoff multiplier must be at least 1");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
    }

    /** No retries at all: the first failure is final. */
    public static Backoff none() {
        return new Backoff(Duration.ZERO, 1.0, Duration.ZERO, 1, 0);
    }

    /** Whether a failed attempt {@code attempt} may be followed by another. */
    public boolean allowsAnotherAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /** How long to wait after failed attempt {@code attempt} (1-based) before the next. */
    public Duration delayAfter(int attempt, RandomGenerator random) {
        double base = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, max.toMillis());
        double spread = jitter == 0 ? 1.0 : 1.0 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.round(capped * spread));
    }
}
