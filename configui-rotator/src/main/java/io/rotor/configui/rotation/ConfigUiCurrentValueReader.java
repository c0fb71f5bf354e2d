package io.rotor.configui.rotation;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.CurrentValueReader;
import java.util.Map;

/**
 * The current value the runtime hands to the adapter.
 *
 * <p>Recipe mode ({@code replace}): the password from the credential's first Secret, which the recipe logs in with.
 *
 * <p>Manual mode: the admin user only, never the password. Rotor changes nothing on the portal in manual mode and needs
 * no current password; and the runtime skips a command whose value the Secret already holds (that is how it absorbs a
 * redelivered command), which would swallow a confirmation of the password the Secret holds already — exactly what
 * seeding the Secret looks like (confirming the install-time password), and what an operator who changed nothing would
 * send. Such a confirmation must still be answered, so the runtime is given nothing to compare. Manual mode stays
 * idempotent without it: it changes nothing on the portal, and the secret writer and pod restarter take a repeated
 * PLATFORM_UPDATED like any redelivered event.
 */
public final class ConfigUiCurrentValueReader implements CurrentValueReader {

    private final CurrentPassword passwords;

    public ConfigUiCurrentValueReader(CurrentPassword passwords) {
        this.passwords = passwords;
    }

    @Override
    public CredentialMaterial read(CredentialRef credential, ManagedCredentialSpec spec) {
        if (spec.strategy() == Strategy.MANUAL) {
            String user = Portals.user(spec);
            return CredentialMaterial.of(Map.of(CredentialField.USERNAME, SecretValue.of(user == null ? "" : user)));
        }
        return CredentialMaterial.password(passwords.require(credential, spec));
    }
}
