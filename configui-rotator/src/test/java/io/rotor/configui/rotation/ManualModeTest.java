package io.rotor.configui.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.configui.ConfigUiSpecs;
import io.rotor.configui.InMemorySecretLookup;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.testkit.configui.FakeConfigUiPortal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Manual mode: the operator changed the password in the portal; the command carries what they confirmed. */
class ManualModeTest {

    static final String INSTALLED = "Install-Time-Pass1";
    static final String CHOSEN = "Operator-Chose-This1";
    static final CredentialRef REF = CredentialRef.parse("mashery/configui-admin");

    final FakeConfigUiPortal portal = FakeConfigUiPortal.start("administrator", CHOSEN);
    final InMemorySecretLookup secrets = new InMemorySecretLookup().put("mashery", "configui-user-secrets",
            Map.of(".mlc_password", INSTALLED, ".mlc_server_secret", "keep-me"));
    final LoginBudget budget = LoginBudget.inMemory(2, Duration.ofMinutes(15), Clock.systemUTC());
    final ConfigUiAdapter adapter = new ConfigUiAdapter(secrets, budget, true);
    final ConfigUiCurrentValueReader reader = new ConfigUiCurrentValueReader(new CurrentPassword(secrets));

    @AfterEach
    void stop() {
        portal.close();
    }

    @Test
    void aConfirmedPasswordThatLogsInIsHandedOnWithTheSecretsValueAsThePreviousOneAndNothingChanges() {
        Rotation r = rotation(withRecipe(), CHOSEN);

        Applied applied = adapter.apply(r);
        adapter.verify(r.withNewValue(applied.handOn()));

        assertThat(applied.handOn().fields()).containsOnlyKeys(CredentialField.PASSWORD);
        assertThat(applied.handOn().require(CredentialField.PASSWORD).reveal()).isEqualTo(CHOSEN);
        assertThat(applied.previous().require(CredentialField.PASSWORD).reveal()).isEqualTo(INSTALLED);
        assertThat(applied.details()).containsEntry("mode", "manual")
                .containsEntry("verified", "login with the confirmed password").containsEntry("seeded", "false");
        assertThat(portal.passwordChanges()).as("Rotor changes nothing on the portal").isZero();
    }

    @Test
    void aMistypedConfirmationIsRefusedBeforeAnythingIsWrittenAndCountsAsNothingChanged() {
        Rotation r = rotation(withRecipe(), "Operator-Typo-This1");

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.reason()).isEqualTo(ConfigUiFailure.NEW_PASSWORD_REFUSED);
            assertThat(e.retriable()).isFalse();
            assertThat(e.platformMayHaveChanged()).isFalse();
            assertThat(e.getMessage()).contains("Nothing was written").contains("confirm with the password")
                    .doesNotContain("Operator-Typo-This1").doesNotContain(CHOSEN);
        });
        assertThat(portal.failedLogins()).isEqualTo(1);
    }

    @Test
    void withoutARecipeTheOperatorsWordIsTakenAndTheDetailsSaySo() {
        Rotation r = rotation(ConfigUiSpecs.spec("manual", null, null, null), "Anything-The-Operator-Says1");

        Applied applied = adapter.apply(r);

        assertThat(applied.details().get("verified")).startsWith("no: the credential has no configUi.recipe");
        assertThat(portal.requests()).isZero();
    }

    @Test
    void confirmingThePasswordTheSecretAlreadyHoldsStillGoesThrough() {
        Rotation r = rotation(ConfigUiSpecs.spec("manual", null, null, null), INSTALLED);

        assertThat(r.oldValue().get(CredentialField.PASSWORD)).as("the runtime gets nothing to compare")
                .isEmpty();
        assertThat(adapter.apply(r).handOn().require(CredentialField.PASSWORD).reveal()).isEqualTo(INSTALLED);
    }

    @Test
    void aSecretWithoutThePasswordYetIsSeededByTheFirstConfirmation() {
        secrets.put("mashery", "configui-user-secrets", Map.of(".mlc_server_secret", "keep-me"));
        Rotation r = rotation(withRecipe(), CHOSEN);

        Applied applied = adapter.apply(r);

        assertThat(applied.details()).containsEntry("seeded", "true");
        assertThat(applied.previous().get(CredentialField.PASSWORD)).isEmpty();
    }

    @Test
    void removingTheNewValueChangesNothingBecauseRotorChangedNothing() {
        assertThat(adapter.removeNew(rotation(withRecipe(), CHOSEN)).changed()).isFalse();
        assertThat(portal.requests()).isZero();
    }

    private ManagedCredentialSpec withRecipe() {
        return ConfigUiSpecs.spec("manual", portal.url().toString(), ConfigUiSpecs.goodRecipe(), null);
    }

    private Rotation rotation(ManagedCredentialSpec spec, String confirmed) {
        return new Rotation("rot-1", REF, spec, CredentialMaterial.password(SecretValue.of(confirmed)),
                reader.read(REF, spec));
    }
}
