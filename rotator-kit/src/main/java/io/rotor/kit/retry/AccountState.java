package io.rotor.kit.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the durable budget holds for one account (an endpoint plus a user): never a password, nor anything derived
 * from one.
 *
 * @param counted            logins that failed or whose outcome is unknown since the last success, including any in
 *                           flight (an attempt is counted before it is sent)
 * @param lastCounted        when the latest of them was counted
 * @param platformThreshold  the lockout threshold the platform itself reported (Redis Enterprise's cluster policy),
 *                           0 when not read
 * @param platformResetAfter the platform's own quiet period before it forgets failures, when it reported one
 */
public record AccountState(int counted, Optional<Instant> lastCounted, int platformThreshold,
        Optional<Duration> platformResetAfter) {

    public static final AccountState EMPTY = new AccountState(0, Optional.empty(), 0, Optional.empty());

    AccountState withCount(int count, Optional<Instant> at) {
        return new AccountState(count, at, platformThreshold, platformResetAfter);
    }

    AccountState withPlatformPolicy(int threshold, Optional<Duration> resetAfter) {
        return new AccountState(counted, lastCounted, threshold, resetAfter);
    }
}
