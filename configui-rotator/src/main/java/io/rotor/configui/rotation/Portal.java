package io.rotor.configui.rotation;

import io.rotor.configui.recipe.RecipeFailure;
import io.rotor.configui.recipe.RecipeRunner;
import io.rotor.contracts.credential.HttpRecipe;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.retry.LoginAttempt;
import io.rotor.kit.retry.LoginBudget;
import java.net.URI;

/**
 * One credential's portal as a recipe reaches it: the URL, the recipe, the admin user, and a runner with the
 * credential's TLS settings. {@code account} names the admin account for the login budget.
 */
record Portal(URI url, HttpRecipe recipe, String user, RecipeRunner runner, String account) {

    /** Logs in with the current password and runs the change steps. */
    void change(SecretValue current, SecretValue next) {
        runner.changePassword(url, recipe, user, current, next);
    }

    /** Whether {@code password} logs in (a fresh session); other failures become step failures. */
    boolean loginWorks(SecretValue password) {
        try {
            return runner.loginWorks(url, recipe, user, password);
        } catch (RecipeFailure f) {
            throw failure(f);
        }
    }

    String describe() {
        return url.getScheme() + "://" + url.getAuthority() + " as " + (user == null ? "(no user)" : user);
    }

    /**
     * {@link #loginWorks} counted in the durable login budget before it is sent: a refusal or an unknown outcome (the
     * portal's 5xx, no answer) stays counted, a success resets the count, a TLS failure (nothing sent) gives it back.
     */
    boolean loginWorks(SecretValue password, LoginBudget budget) {
        LoginAttempt attempt = budget.begin(account, describe());
        boolean works;
        try {
            works = loginWorks(password);
        } catch (PlatformException e) {
            if (e.reason() == RecipeFailure.Reason.TLS) {
                attempt.notSent();
            }
            throw e;
        }
        if (works) {
            attempt.succeeded();
        }
        return works;
    }

    /**
     * {@link #change} counted the same way: its login steps send the current password. A failure at or after the change
     * step (refused, or a 5xx that may have changed it) proves the login steps worked.
     */
    void change(SecretValue current, SecretValue next, LoginBudget budget) {
        LoginAttempt attempt = budget.begin(account, describe());
        try {
            change(current, next);
        } catch (RecipeFailure f) {
            if (f.reason() == RecipeFailure.Reason.TLS) {
                attempt.notSent();
            } else if (f.reason() == RecipeFailure.Reason.CHANGE_REJECTED || f.passwordMayHaveChanged()) {
                attempt.succeeded();
            }
            // Otherwise a refused login, or an outcome not known: it stays counted.
            throw f;
        }
        attempt.succeeded();
    }

    /** A recipe failure as a step failure: its reason is the code, its message (never a value or a body) the text. */
    static PlatformException failure(RecipeFailure f) {
        PlatformException e = new PlatformException(f.reason(), "the portal recipe failed at " + f.getMessage(), f);
        return f.passwordMayHaveChanged() ? e.afterChange() : e;
    }
}
