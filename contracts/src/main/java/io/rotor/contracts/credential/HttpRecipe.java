package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.util.List;

/**
 * How an installation's portal changes the admin password over HTTP: the {@code login} steps (run with the current
 * password, and again with the new one in a fresh session to verify), then the {@code change} steps. Cookies carry
 * the session between steps.
 */
public record HttpRecipe(List<RecipeStep> login, List<RecipeStep> change) implements Validatable {

    @Override
    public void validate(Validator v) {
        if (v.required("login", login) && login.isEmpty()) {
            v.fail("login", "needs at least one step");
        }
        if (v.required("change", change) && change.isEmpty()) {
            v.fail("change", "needs at least one step");
        }
        v.maxSize("login", login, 8);
        v.maxSize("change", change, 8);
        v.each("login", login);
        v.each("change", change);
    }
}
