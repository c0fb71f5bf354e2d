package io.rotor.configui.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.HttpRecipe;
import io.rotor.contracts.credential.RecipeExtraction;
import io.rotor.contracts.credential.RecipeStep;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.contracts.validation.Validator;
import io.rotor.testkit.configui.FakeConfigUiPortal;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecipeRunnerTest {

    static final String OLD = "0ld-Portal-Pass!";
    static final String NEW = "N3w-Portal-Pass#";

    private final FakeConfigUiPortal portal = FakeConfigUiPortal.start("administrator", OLD);
    private final RecipeRunner runner;

    RecipeRunnerTest() throws Exception {
        runner = new RecipeRunner(SSLContext.getDefault(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    /** The recipe an operator would write for the fake portal's pages. */
    static HttpRecipe recipe(String csrfRegex) {
        RecipeExtraction csrf = new RecipeExtraction("csrf", RecipeExtraction.Source.BODY, null, null, csrfRegex);
        return new HttpRecipe(
                List.of(new RecipeStep("login-page", "GET", "/login", null, null, null, List.of(200), null, null, List.of(csrf)),
                        new RecipeStep("login", "POST", "/login", null,
                                Map.of("username", "{{username}}", "password", "{{password}}", "_csrf", "{{csrf}}"),
                                null, List.of(302), null, "Invalid username or password", null)),
                List.of(new RecipeStep("change-page", "GET", "/admin/password", null, null, null, List.of(200), null, null,
                                List.of(csrf)),
                        new RecipeStep("change", "POST", "/admin/password", null,
                                Map.of("currentPassword", "{{currentPassword}}", "newPassword", "{{newPassword}}",
                                        "_csrf", "{{csrf}}"),
                                null, List.of(200), "Password changed", null, null)));
    }

    static final String CSRF = "name=\"_csrf\" value=\"([0-9a-f]+)\"";

    @Test
    void theRecipeIsAValidSpec() {
        Validator v = Validator.root();
        recipe(CSRF).validate(v);
        assertThat(v.violations()).isEmpty();
    }

    @Test
    void changesThePasswordSoTheOldOneStopsAndTheNewOneWorks() {
        runner.changePassword(portal.url(), recipe(CSRF), "administrator", SecretValue.of(OLD), SecretValue.of(NEW));

        assertThat(portal.passwordIs(NEW)).isTrue();
        assertThat(runner.loginWorks(portal.url(), recipe(CSRF), "administrator", SecretValue.of(NEW))).isTrue();
        assertThat(runner.loginWorks(portal.url(), recipe(CSRF), "administrator", SecretValue.of(OLD))).isFalse();
    }

    @Test
    void aWrongCurrentPasswordIsALoginFailureAndChangesNothing() {
        assertThatThrownBy(() -> runner.changePassword(portal.url(), recipe(CSRF), "administrator",
                SecretValue.of("wrong-password"), SecretValue.of(NEW)))
                .isInstanceOfSatisfying(RecipeFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(RecipeFailure.Reason.LOGIN_REJECTED);
                    assertThat(f.reason().retriable()).isFalse();
                    assertThat(f.step()).isEqualTo("login");
                })
                .hasMessageNotContaining("wrong-password").hasMessageNotContaining(NEW);
        assertThat(portal.passwordIs(OLD)).isTrue();
        assertThat(portal.failedLogins()).isEqualTo(1);
    }

    @Test
    void aWrongCsrfTokenIsRefusedByThePortalAndReportedClearly() {
        HttpRecipe constantToken = new HttpRecipe(List.of(new RecipeStep("login", "POST", "/login", null,
                Map.of("username", "{{username}}", "password", "{{password}}", "_csrf", "not-the-token"),
                null, List.of(302), null, null, null)), recipe(CSRF).change());

        assertThatThrownBy(() -> runner.changePassword(portal.url(), constantToken, "administrator",
                SecretValue.of(OLD), SecretValue.of(NEW)))
                .isInstanceOf(RecipeFailure.class)
                .hasMessageContaining("step 'login': the portal answered 403, expected one of [302]");
        assertThat(portal.passwordIs(OLD)).isTrue();
    }

    @Test
    void aRecipeThatDoesNotMatchThePagesSaysWhatIsMissing() {
        assertThatThrownBy(() -> runner.changePassword(portal.url(), recipe("name=\"token\" value=\"([^\"]+)\""),
                "administrator", SecretValue.of(OLD), SecretValue.of(NEW)))
                .isInstanceOfSatisfying(RecipeFailure.class,
                        f -> assertThat(f.reason()).isEqualTo(RecipeFailure.Reason.EXTRACTION_FAILED))
                .hasMessageContaining("could not find 'csrf' in the response's body");
    }

    @Test
    void aNewPasswordThePortalRefusesIsAChangeFailure() {
        assertThatThrownBy(() -> runner.changePassword(portal.url(), recipe(CSRF), "administrator",
                SecretValue.of(OLD), SecretValue.of("short")))
                .isInstanceOfSatisfying(RecipeFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(RecipeFailure.Reason.CHANGE_REJECTED);
                    assertThat(f.step()).isEqualTo("change");
                })
                .hasMessageNotContaining("short");
        assertThat(portal.passwordIs(OLD)).isTrue();
    }

    @Test
    void anUnreachablePortalIsRetriable() {
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort());

        assertThatThrownBy(() -> runner.changePassword(nowhere, recipe(CSRF), "administrator", SecretValue.of(OLD),
                SecretValue.of(NEW)))
                .isInstanceOfSatisfying(RecipeFailure.class, f -> assertThat(f.reason().retriable()).isTrue());
    }

    @Test
    void anUndefinedVariableIsARecipeError() {
        HttpRecipe typo = new HttpRecipe(List.of(new RecipeStep("login", "POST", "/login", null,
                Map.of("password", "{{pasword}}"), null, null, null, null, null)), recipe(CSRF).change());

        assertThatThrownBy(() -> runner.changePassword(portal.url(), typo, "administrator", SecretValue.of(OLD),
                SecretValue.of(NEW)))
                .hasMessageContaining("uses {{pasword}}, which is not defined")
                .hasMessageNotContaining(OLD);
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
