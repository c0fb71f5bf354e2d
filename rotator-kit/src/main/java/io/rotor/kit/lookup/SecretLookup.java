package io.rotor.kit.lookup;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.SecretKeyRef;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import java.util.Map;
import java.util.Optional;

/** Reads Secrets in a credential's namespace: the current value, CA bundles, admin logins. */
public interface SecretLookup {

    /**
     * The Secret's data, decoded from base64; empty when it does not exist.
     *
     * @throws PlatformException when Kubernetes cannot be reached (retriable) or refuses access (permanent)
     */
    Optional<Map<String, byte[]>> data(String namespace, String name);

    /**
     * The data of a Secret that holds the credential's own value, which Rotor may read only when the Secret opted in:
     * it carries the label {@code rotor.io/credential} naming the credential. Without it a ManagedCredential's author
     * could name any Secret of the namespace and have its value sent to the platform as "the current password".
     *
     * @throws PlatformException {@code secret_not_opted_in} when the label is missing or names another credential
     */
    Optional<Map<String, byte[]>> credentialData(CredentialRef credential, String name);

    /** One key of a Secret, such as a CA bundle or a password. */
    default byte[] key(String namespace, SecretKeyRef ref, String purpose) {
        Map<String, byte[]> data = data(namespace, ref.name()).orElseThrow(() -> new PlatformException(
                KitFailure.SECRET_NOT_FOUND, "Secret " + namespace + "/" + ref.name() + " (" + purpose
                        + ") does not exist"));
        byte[] value = data.get(ref.key());
        if (value == null) {
            throw new PlatformException(KitFailure.SECRET_KEY_MISSING, "Secret " + namespace + "/" + ref.name()
                    + " has no key '" + ref.key() + "' (" + purpose + ")");
        }
        return value;
    }
}
