package io.rotor.contracts.credential;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.contracts.validation.Validator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A recipe step is a request to the portal only: its path cannot name another host or climb out of the portal. */
class RecipeStepTest {

    @ParameterizedTest
    @ValueSource(strings = {"//attacker.example/x", "/admin/../../x", "/a/./b", "/%2e%2e/admin", "/a%2Fb",
            "/a\\b", "/%2E/x", "/x/..", "/bad%zzescape"})
    void aPathThatCouldLeaveThePortalIsRefused(String path) {
        assertThat(problems(path)).contains("must stay on the portal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/login", "/admin/password", "/api/v1/users?name=a..b", "/a/b.c/d", "/x?next=//y"})
    void anOrdinaryPathIsAccepted(String path) {
        assertThat(problems(path)).isEqualTo("[]");
    }

    private static String problems(String path) {
        Validator v = Validator.root();
        new RecipeStep("step", "GET", path, null, null, null, null, null, null, null).validate(v);
        return v.violations().toString();
    }
}
