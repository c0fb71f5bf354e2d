package io.rotor.configui;

import io.rotor.configui.rotation.ConfigUiAdapter;
import io.rotor.configui.rotation.ConfigUiCurrentValueReader;
import io.rotor.configui.rotation.CurrentPassword;
import io.rotor.kit.lookup.SecretLookup;
import io.rotor.kit.participant.CurrentValueReader;
import io.rotor.kit.participant.PlatformAdapter;
import io.rotor.kit.retry.LoginBudget;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The Config UI adapter for the kit's participant runtime, and the current-value reader its two modes need. */
public class ConfigUiBeans {

    @Produces
    @Singleton
    PlatformAdapter configUiAdapter(SecretLookup secrets, LoginBudget budget, ConfigUiConfig config) {
        return new ConfigUiAdapter(secrets, budget, config.verifyConfirmations());
    }

    @Produces
    @Singleton
    CurrentValueReader currentValueReader(SecretLookup secrets) {
        return new ConfigUiCurrentValueReader(new CurrentPassword(secrets));
    }
}
