package io.rotor.configui.rotation;

import io.rotor.configui.recipe.RecipeFailure;
import io.rotor.configui.recipe.RecipeRunner;
import io.rotor.contracts.credential.HttpRecipe;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.PlatformException;
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

    /** A recipe failure as a step failure: its reason is the code, its message (never a value or a body) the text. */
    static PlatformException failure(RecipeFailure f) {
        PlatformException e = new PlatformException(f.reason(), "the portal recipe failed at " + f.getMessage(), f);
        return f.passwordMayHaveChanged() ? e.afterChange() : e;
    }
}
