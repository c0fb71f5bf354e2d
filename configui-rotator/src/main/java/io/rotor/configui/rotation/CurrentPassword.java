package io.rotor.configui.rotation;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.lookup.SecretLookup;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.secret.SecretLayout;
import io.rotor.kit.secret.SecretLayoutException;
import java.util.Map;
import java.util.Optional;

/**
 * The admin password as the credential's first Secret holds it ({@code configui-user-secrets}, key
 * {@code .mlc_password} by default), read in any format the secret writer writes, with the kit's layouts.
 */
public final class CurrentPassword {

    private final SecretLookup secrets;

    public CurrentPassword(SecretLookup secrets) {
        this.secrets = secrets;
    }

    /** Empty when the Secret or its password key does not exist (yet). */
    public Optional<SecretValue> find(CredentialRef credential, ManagedCredentialSpec spec) {
        SecretTarget first = spec.secretList().get(0);
        Optional<Map<String, byte[]>> data = secrets.credentialData(credential, first.name());
        if (data.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(SecretLayout.of(first).read(data.get()).get(CredentialField.PASSWORD));
        } catch (SecretLayoutException e) {
            throw new PlatformException(KitFailure.SECRET_FORMAT_UNSUPPORTED, "the current password cannot be read "
                    + "from " + where(credential, first) + ": " + e.getMessage(), e);
        }
    }

    /** The password, which the recipe logs in with; a clear, permanent failure when there is none. */
    public SecretValue require(CredentialRef credential, ManagedCredentialSpec spec) {
        SecretTarget first = spec.secretList().get(0);
        if (secrets.credentialData(credential, first.name()).isEmpty()) {
            throw new PlatformException(KitFailure.SECRET_NOT_FOUND, where(credential, first) + " does not exist; "
                    + "the recipe logs in with the password it holds. Seed it first: one rotation with strategy "
                    + "manual, confirmed with the portal's present password, writes it (see the configui-rotator "
                    + "README)");
        }
        return find(credential, spec).orElseThrow(() -> new PlatformException(ConfigUiFailure.CURRENT_VALUE_MISSING,
                where(credential, first) + " holds no current password at " + SecretLayout.of(first)
                        .describe(CredentialField.PASSWORD) + ", which the recipe logs in with. Seed it first: one "
                        + "rotation with strategy manual, confirmed with the portal's present password, writes it "
                        + "(see the configui-rotator README)"));
    }

    static String where(CredentialRef credential, SecretTarget target) {
        return "Secret " + credential.namespace() + "/" + target.name();
    }
}
