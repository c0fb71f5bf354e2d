package io.rotor.configui.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.configui.ConfigUiSpecs;
import io.rotor.configui.InMemorySecretLookup;
import io.rotor.configui.recipe.RecipeFailure;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.Change;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.testkit.configui.FakeConfigUiPortal;
import io.rotor.testkit.rec.TestCertificateAuthority;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP recipe mode (strategy replace) against the fake portal with its session cookie and per-form CSRF tokens: the
 * adapter as the kit's runtime calls it, apply then verify.
 */
class RecipeModeTest {

    static final String OLD = "0ld-Portal-Pass!";
    static final String NEW = "N3w-Portal-Pass#";
    static final CredentialRef REF = CredentialRef.parse("mashery/configui-admin");

    final FakeConfigUiPortal portal = FakeConfigUiPortal.start("administrator", OLD);
    final InMemorySecretLookup secrets = new InMemorySecretLookup()
            .put("mashery", "configui-user-secrets", Map.of(".mlc_password", OLD, ".mlc_server_secret", "keep-me"));
    final LoginBudget budget = LoginBudget.inMemory(2, Duration.ofMinutes(15), Clock.systemUTC());
    final ConfigUiAdapter adapter = new ConfigUiAdapter(secrets, budget, true);
    final ConfigUiCurrentValueReader reader = new ConfigUiCurrentValueReader(new CurrentPassword(secrets));

    @AfterEach
    void stop() {
        portal.close();
    }

    @Test
    void theChangeMakesTheOldPasswordStopAndTheNewOneWorkAndHandsBothOn() {
        Rotation r = rotation(spec(ConfigUiSpecs.goodRecipe()), NEW);

        Applied applied = adapter.apply(r);
        adapter.verify(r.withNewValue(applied.handOn()));

        assertThat(portal.passwordIs(NEW)).isTrue();
        assertThat(applied.changed()).isTrue();
        assertThat(applied.handOn().require(CredentialField.PASSWORD).reveal()).isEqualTo(NEW);
        assertThat(applied.previous().require(CredentialField.PASSWORD).reveal()).isEqualTo(OLD);
        assertThat(applied.details()).containsEntry("mode", "recipe").doesNotContainValue(NEW);
        assertThat(portal.failedLogins()).isZero();
    }

    @Test
    void aRedeliveredCommandFindsTheNewPasswordInPlaceAndChangesNothing() {
        Rotation r = rotation(spec(ConfigUiSpecs.goodRecipe()), NEW);
        adapter.apply(r);
        ConfigUiAdapter afterRestart = new ConfigUiAdapter(secrets, budget, true);

        Applied again = afterRestart.apply(r);

        assertThat(again.changed()).isFalse();
        assertThat(portal.passwordChanges()).isEqualTo(1);
        assertThat(portal.failedLogins()).as("the one login with the old password").isEqualTo(1);
    }

    @Test
    void aWrongCurrentPasswordInTheSecretIsAClearPermanentFailureAndChangesNothing() {
        secrets.put("mashery", "configui-user-secrets", Map.of(".mlc_password", "not-the-portals-password"));
        Rotation r = rotation(spec(ConfigUiSpecs.goodRecipe()), NEW);

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.reason()).isEqualTo(ConfigUiFailure.CURRENT_PASSWORD_REFUSED);
            assertThat(e.retriable()).isFalse();
            assertThat(e.platformMayHaveChanged()).isFalse();
            assertThat(e.getMessage()).contains("Secret mashery/configui-user-secrets")
                    .contains("step 'login': the response says 'Invalid username or password'")
                    .contains("Nothing was changed").doesNotContain("not-the-portals-password").doesNotContain(NEW);
        });
        assertThat(portal.passwordIs(OLD)).isTrue();
        assertThat(portal.passwordChanges()).isZero();
    }

    @Test
    void aWrongCsrfTokenIsAClearFailureAndChangesNothing() {
        Rotation r = rotation(spec(ConfigUiSpecs.recipe("not-the-token")), NEW);

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains("step 'login': the portal answered 403")
                    .contains("CSRF token").doesNotContain(OLD).doesNotContain(NEW);
        });
        assertThat(portal.passwordIs(OLD)).isTrue();
        assertThat(portal.failedLogins()).as("refused for the token, never for the password").isZero();
    }

    @Test
    void aPortalErrorBeforeTheChangeIsRetriableAndLeavesNothingToUndo() {
        portal.failNext(1, 503);
        Rotation r = rotation(spec(ConfigUiSpecs.goodRecipe()), NEW);

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.reason()).isEqualTo(RecipeFailure.Reason.PORTAL_ERROR);
            assertThat(e.retriable()).isTrue();
            assertThat(e.platformMayHaveChanged()).isFalse();
        });
        Applied retried = adapter.apply(r);
        assertThat(retried.changed()).isTrue();
        assertThat(portal.passwordIs(NEW)).isTrue();
    }

    @Test
    void aPortalErrorAnsweringTheChangeMayHaveChangedItAndRemoveNewPutsTheOldPasswordBack() {
        portal.failAfterNextChange(502);
        Rotation r = rotation(spec(ConfigUiSpecs.goodRecipe()), NEW);

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.retriable()).isTrue();
            assertThat(e.platformMayHaveChanged()).isTrue();
        });
        assertThat(portal.passwordIs(NEW)).isTrue();

        Change undone = adapter.removeNew(r);

        assertThat(undone.changed()).isTrue();
        assertThat(portal.passwordIs(OLD)).isTrue();
        assertThat(adapter.removeNew(r).changed()).as("a second removeNew changes nothing").isFalse();
    }

    @Test
    void aNewPasswordThePortalRefusesIsAPermanentFailureOfApplyAndNothingChanged() {
        Rotation r = rotation(spec(ConfigUiSpecs.goodRecipe()), "short");

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.reason()).isEqualTo(RecipeFailure.Reason.CHANGE_REJECTED);
            assertThat(e.platformMayHaveChanged()).isFalse();
        });
        assertThat(portal.passwordIs(OLD)).isTrue();
    }

    @Test
    void verifyRefusesANewPasswordThatDoesNotLogIn() {
        Rotation r = rotation(spec(ConfigUiSpecs.goodRecipe()), NEW);

        assertThatThrownBy(() -> adapter.verify(r)).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.reason()).isEqualTo(ConfigUiFailure.NEW_PASSWORD_REFUSED);
            assertThat(e.retriable()).isFalse();
        });
    }

    @Test
    void onceTheLoginBudgetIsSpentThePortalIsNotAskedAgain() {
        secrets.put("mashery", "configui-user-secrets", Map.of(".mlc_password", "not-the-portals-password"));
        Rotation r = rotation(spec(ConfigUiSpecs.goodRecipe()), NEW);
        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOf(PlatformException.class);
        int requests = portal.requests();

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.reason()).isEqualTo(KitFailure.LOGIN_BUDGET_EXHAUSTED));
        assertThat(portal.requests()).isEqualTo(requests);
        assertThat(portal.failedLogins()).isEqualTo(2);
    }

    @Test
    void withoutTheCurrentPasswordInTheSecretTheReaderSaysHowToSeedIt() {
        secrets.put("mashery", "configui-user-secrets", Map.of(".mlc_server_secret", "keep-me"));

        assertThatThrownBy(() -> reader.read(REF, spec(ConfigUiSpecs.goodRecipe())))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ConfigUiFailure.CURRENT_VALUE_MISSING);
                    assertThat(e.getMessage()).contains("key '.mlc_password'").contains("Seed it first");
                });
    }

    @Test
    void anHttpsPortalIsTrustedThroughTheCredentialsCaBundleAndRefusedWithoutIt() {
        TestCertificateAuthority ca = TestCertificateAuthority.create("portal CA");
        try (FakeConfigUiPortal tls = FakeConfigUiPortal.startTls("administrator", OLD, ca)) {
            secrets.put("mashery", "portal-ca", Map.of("ca.crt", ca.certificatePem()));
            ManagedCredentialSpec untrusted = ConfigUiSpecs.spec("replace", tls.url().toString(),
                    ConfigUiSpecs.goodRecipe(), null);
            ManagedCredentialSpec trusted = ConfigUiSpecs.spec("replace", tls.url().toString(),
                    ConfigUiSpecs.goodRecipe(), "{\"caSecretRef\": {\"name\": \"portal-ca\", \"key\": \"ca.crt\"}}");

            assertThatThrownBy(() -> adapter.apply(rotation(untrusted, NEW)))
                    .isInstanceOfSatisfying(PlatformException.class, e -> {
                        assertThat(e.reason()).isEqualTo(RecipeFailure.Reason.TLS);
                        assertThat(e.retriable()).isFalse();
                        assertThat(e.getMessage()).contains("caSecretRef");
                    });
            Rotation r = rotation(trusted, NEW);
            adapter.verify(r.withNewValue(adapter.apply(r).handOn()));
            assertThat(tls.passwordIs(NEW)).isTrue();
        }
    }

    private ManagedCredentialSpec spec(String recipe) {
        return ConfigUiSpecs.spec("replace", portal.url().toString(), recipe, null);
    }

    private Rotation rotation(ManagedCredentialSpec spec, String next) {
        return new Rotation("rot-1", REF, spec, CredentialMaterial.password(SecretValue.of(next)),
                reader.read(REF, spec));
    }
}
