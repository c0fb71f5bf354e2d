package io.rotor.kit.retry;

import java.time.Duration;
import java.util.Optional;

/**
 * How one platform counts failed logins, as Rotor budgets them.
 *
 * @param maxFailures     logins of unknown or failed outcome Rotor lets stand for one account; keep it below the
 *                        platform's lockout threshold so that workloads still using a stale value have room too
 * @param resetOnSuccess  whether a successful login resets the platform's counter (Keystone: yes; Redis Enterprise:
 *                        no, its counter is reset only by time)
 * @param resetAfterQuiet how long without a counted attempt before the platform forgets them (Redis Enterprise:
 *                        15 minutes); empty when time never resets the count (Keystone)
 */
public record BudgetRule(int maxFailures, boolean resetOnSuccess, Optional<Duration> resetAfterQuiet) {

    public BudgetRule {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("the budget must allow at least one failed login");
        }
        if (!resetOnSuccess && resetAfterQuiet.isEmpty()) {
            throw new IllegalArgumentException("a count reset neither by a success nor by time would never reset");
        }
        if (resetAfterQuiet.isPresent() && (resetAfterQuiet.get().isNegative() || resetAfterQuiet.get().isZero())) {
            throw new IllegalArgumentException("reset-after-quiet must be positive when set");
        }
    }

    /** Only a success resets the count: Keystone's {@code lockout_failure_attempts} counter has no window. */
    public static BudgetRule untilSuccess(int maxFailures) {
        return new BudgetRule(maxFailures, true, Optional.empty());
    }

    /** Only time resets the count: Redis Enterprise forgets failed logins after a quiet period, not on a success. */
    public static BudgetRule untilQuiet(int maxFailures, Duration quiet) {
        return new BudgetRule(maxFailures, false, Optional.of(quiet));
    }

    /** A success resets the count, and so does a quiet period. */
    public static BudgetRule untilSuccessOrQuiet(int maxFailures, Duration quiet) {
        return new BudgetRule(maxFailures, true, Optional.of(quiet));
    }
}
