package io.rotor.kit.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins Rotor may cause per account in a sliding window. Platforms lock accounts after a few failures (Redis
 * Enterprise: 5 in 15 minutes locks for 30), and the failures of the workloads still using a stale value count too, so
 * Rotor keeps well below the platform's limit: an adapter asks {@link #allows} before a login it is not sure of and
 * reports each refusal with {@link #recordFailure}. Once spent, no more logins with that account until failures age
 * out of the window.
 *
 * <p>Kept in memory: a restart forgets it. That is safe only because a refused login is never retried — it ends the
 * step with a permanent failure — so a restart cannot replay failures in a loop.
 */
public final class LoginBudget {

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginBudget(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("the budget must allow at least one failed login");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** Whether another login that might fail is allowed for {@code account} (an endpoint plus a user). */
    public boolean allows(String account) {
        return failuresInWindow(account) < maxFailures;
    }

    public void recordFailure(String account) {
        Deque<Instant> times = failures.computeIfAbsent(account, a -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(clock.instant());
        }
    }

    public int failuresInWindow(String account) {
        Deque<Instant> times = failures.get(account);
        if (times == null) {
            return 0;
        }
        Instant horizon = clock.instant().minus(window);
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
                times.removeFirst();
            }
            return times.size();
        }
    }

    /** When the oldest failure in the window ages out, for a message that tells when to try again. */
    public Instant nextAllowance(String account) {
        Deque<Instant> times = failures.get(account);
        if (times == null) {
            return clock.instant();
        }
        synchronized (times) {
            return times.isEmpty() ? clock.instant() : times.peekFirst().plus(window);
        }
    }

    public int maxFailures() {
        return maxFailures;
    }

    public Duration window() {
        return window;
    }
}
