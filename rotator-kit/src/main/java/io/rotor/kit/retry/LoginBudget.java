package io.rotor.kit.retry;

import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Logins Rotor may make per account (an endpoint plus a user) whose outcome is a failure or unknown, counted the way
 * the platform counts them, in a {@link BudgetStore} that survives restarts and is shared by replicas.
 *
 * <p>Accounting: an attempt is counted <em>before</em> it is sent ({@link #begin}), so a crash mid-login, a timeout
 * after the request left, a 5xx from a gateway that may have passed the login on, all stay counted; only a success
 * ({@link LoginAttempt#succeeded}) resets the count, where it resets the platform's counter (Keystone); where it does
 * not (Redis Enterprise) the success only takes its own count back. A request that provably never left
 * ({@link LoginAttempt#notSent}: connection refused, TLS handshake failed) gives its count back. Counts are forgotten
 * by time only where the platform forgets them: after {@link BudgetRule#resetAfterQuiet} without a counted attempt
 * (Redis Enterprise: 15 quiet minutes), never for Keystone.
 *
 * <p>The platform's own lockout policy, where the rotator could read it ({@link #observePlatformPolicy}), tightens the
 * configured rule: Rotor stops one short of the platform's threshold and waits at least the platform's quiet period.
 */
public final class LoginBudget {

    private final BudgetStore store;
    private final BudgetRule rule;
    private final Clock clock;

    public LoginBudget(BudgetStore store, BudgetRule rule, Clock clock) {
        this.store = store;
        this.rule = rule;
        this.clock = clock;
    }

    /**
     * A budget in memory, for tests: {@code maxFailures} per account, reset by a success or after {@code quiet}
     * without a counted attempt.
     */
    public static LoginBudget inMemory(int maxFailures, Duration quiet, Clock clock) {
        return new LoginBudget(new InMemoryBudgetStore(), BudgetRule.untilSuccessOrQuiet(maxFailures, quiet), clock);
    }

    /**
     * Counts a login about to be sent, or refuses it when the account's budget is spent.
     *
     * @param who the account as the operator knows it (user and endpoint), for the message
     * @throws PlatformException {@code login_budget_exhausted} when spent; {@code kubernetes_unavailable} when the
     *                           budget cannot be counted (no login is made then)
     */
    public LoginAttempt begin(String account, String who) {
        Instant now = clock.instant();
        AtomicReference<Optional<Instant>> before = new AtomicReference<>(Optional.empty());
        store.update(account, state -> {
            int counted = countNow(state, now);
            if (counted >= allowance(state)) {
                throw exhausted(account, who, state, counted);
            }
            before.set(counted == 0 ? Optional.empty() : state.lastCounted());
            return state.withCount(counted + 1, Optional.of(now));
        });
        return new LoginAttempt(this, account, now, before.get());
    }

    /** Fails with {@code login_budget_exhausted} (saying how to reset it) when the account's budget is spent. */
    public void require(String account, String who) {
        AccountState state = store.read(account);
        int counted = countNow(state, clock.instant());
        if (counted >= allowance(state)) {
            throw exhausted(account, who, state, counted);
        }
    }

    /** Whether a login that might fail is allowed for the account now (nothing is counted). */
    public boolean allows(String account) {
        AccountState state = store.read(account);
        return countNow(state, clock.instant()) < allowance(state);
    }

    /** A failed login counted after the fact, where the call was not begun through {@link #begin}. */
    public void recordFailure(String account) {
        Instant now = clock.instant();
        store.update(account, state -> state.withCount(countNow(state, now) + 1, Optional.of(now)));
    }

    /** The platform accepted the account's login: where that resets its counter, Rotor's is reset too. */
    public void recordSuccess(String account) {
        if (rule.resetOnSuccess()) {
            store.update(account, state -> state.counted() == 0 ? state : state.withCount(0, Optional.empty()));
        }
    }

    /**
     * What the platform said about its lockout (Redis Enterprise's {@code login_lockout_threshold} and
     * {@code login_lockout_counter_reset_after}); kept with the account so a restart does not forget it.
     *
     * @param threshold failed logins that lock the account, 0 when the platform does not lock
     */
    public void observePlatformPolicy(String account, int threshold, Optional<Duration> resetAfter) {
        store.update(account, state -> state.withPlatformPolicy(Math.max(0, threshold), resetAfter));
    }

    /** Attempts counted against the account now (failed or unknown, since the last success). */
    public int counted(String account) {
        AccountState state = store.read(account);
        return countNow(state, clock.instant());
    }

    /** Possible failures Rotor lets stand for the account: the rule's, and one short of the platform's threshold. */
    public int allowance(String account) {
        return allowance(store.read(account));
    }

    public BudgetRule rule() {
        return rule;
    }

    /** Where an operator finds the account's budget. */
    public String where(String account) {
        return store.where(account);
    }

    void succeeded(LoginAttempt attempt) {
        if (rule.resetOnSuccess()) {
            recordSuccess(attempt.account());
        } else {
            refund(attempt);
        }
    }

    /**
     * Takes one attempt's count back, and its time if no later attempt was counted since (the quiet period runs from
     * the last attempt that may have failed).
     */
    void refund(LoginAttempt attempt) {
        Instant now = clock.instant();
        store.update(attempt.account(), state -> {
            int counted = countNow(state, now);
            if (counted == 0) {
                return state;
            }
            boolean ours = state.lastCounted().map(attempt.countedAt()::equals).orElse(false);
            return state.withCount(counted - 1, ours ? attempt.countedBefore() : state.lastCounted());
        });
    }

    private int allowance(AccountState state) {
        if (state.platformThreshold() > 0) {
            return Math.max(1, Math.min(rule.maxFailures(), state.platformThreshold() - 1));
        }
        return rule.maxFailures();
    }

    /** The quiet period after which the count is forgotten: the rule's, or the platform's where that is longer. */
    private Optional<Duration> quiet(AccountState state) {
        if (rule.resetAfterQuiet().isEmpty()) {
            return Optional.empty();
        }
        Duration configured = rule.resetAfterQuiet().get();
        return Optional.of(state.platformResetAfter().filter(d -> d.compareTo(configured) > 0).orElse(configured));
    }

    private int countNow(AccountState state, Instant now) {
        Optional<Duration> quiet = quiet(state);
        if (quiet.isPresent() && state.lastCounted().isPresent()
                && !now.isBefore(state.lastCounted().get().plus(quiet.get()))) {
            return 0;
        }
        return state.counted();
    }

    private PlatformException exhausted(String account, String who, AccountState state, int counted) {
        Optional<Duration> quiet = quiet(state);
        String when = quiet.isPresent() && state.lastCounted().isPresent()
                ? "it tries again after " + state.lastCounted().get().plus(quiet.get()) + " (" + quiet.get()
                        .toMinutes() + " quiet minutes, when the platform forgets them too)"
                : "the platform forgets failed logins only on a successful one, so Rotor tries no more until an "
                        + "operator has checked the credential (log in with it once by hand, or unlock the account) "
                        + "and deleted " + store.where(account) + " to reset the budget";
        return new PlatformException(KitFailure.LOGIN_BUDGET_EXHAUSTED, "Rotor has made " + counted + " login(s) of "
                + who + " that failed or whose outcome is unknown (a timeout or a 5xx after the request was sent) "
                + "since the last success, as many as it allows itself (" + allowance(state) + ") to stay clear of the "
                + "platform's lockout; " + when + ". The count is kept in " + store.where(account) + ".");
    }
}
