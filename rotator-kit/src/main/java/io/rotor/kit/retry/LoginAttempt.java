package io.rotor.kit.retry;

import java.time.Instant;
import java.util.Optional;

/**
 * One login counted by {@link LoginBudget#begin} before it was sent. Its outcome decides what becomes of the count: a
 * success resets the account, a refusal or an unknown outcome leaves it counted, a request that never left gives it
 * back.
 */
public final class LoginAttempt {

    private final LoginBudget budget;
    private final String account;
    private final Instant countedAt;
    private final Optional<Instant> countedBefore;

    LoginAttempt(LoginBudget budget, String account, Instant countedAt, Optional<Instant> countedBefore) {
        this.budget = budget;
        this.account = account;
        this.countedAt = countedAt;
        this.countedBefore = countedBefore;
    }

    /** The platform accepted the login (whatever it then said about the request). */
    public void succeeded() {
        budget.succeeded(this);
    }

    /**
     * The request provably never reached the platform (connection refused, TLS handshake failed, refused before
     * sending): it cannot have counted there.
     */
    public void notSent() {
        budget.refund(this);
    }

    public String account() {
        return account;
    }

    Instant countedAt() {
        return countedAt;
    }

    /** When the attempt counted before this one was, for giving this one back. */
    Optional<Instant> countedBefore() {
        return countedBefore;
    }
}
