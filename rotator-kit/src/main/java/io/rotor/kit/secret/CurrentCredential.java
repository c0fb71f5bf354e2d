package io.rotor.kit.secret;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.sealing.SecretValue;
import java.util.Map;

/**
 * The credential's current value, from the first Secret its spec lists — where rotators find the password they are
 * about to replace (Keystone's {@code original_password}, REC's login).
 */
public final class CurrentCredential {

    private CurrentCredential() {
    }

    /**
     * @throws SecretLayoutException {@link SecretLayoutException.Reason#MISSING} when the Secret does not exist, or
     *         whatever its layout reports for unreadable content
     */
    public static Map<CredentialField, SecretValue> read(KubernetesClient client, CredentialRef credential,
            ManagedCredentialSpec spec) {
        SecretTarget first = spec.secretList().get(0);
        Secret secret = client.secrets().inNamespace(credential.namespace()).withName(first.name()).get();
        if (secret == null) {
            throw new SecretLayoutException(SecretLayoutException.Reason.MISSING, "Secret " + credential.namespace()
                    + "/" + first.name() + " (the first of credential " + credential + ") does not exist");
        }
        return SecretLayout.of(first).read(SecretData.of(secret));
    }

    /** One field of the current value. */
    public static SecretValue require(KubernetesClient client, CredentialRef credential, ManagedCredentialSpec spec,
            CredentialField field) {
        SecretValue value = read(client, credential, spec).get(field);
        if (value == null) {
            SecretTarget first = spec.secretList().get(0);
            throw new SecretLayoutException(SecretLayoutException.Reason.MISSING, "Secret " + credential.namespace()
                    + "/" + first.name() + " holds no " + field.key() + " at " + SecretLayout.of(first).describe(field));
        }
        return value;
    }
}
