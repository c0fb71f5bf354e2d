package io.rotor.kit.lookup;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads Secrets through the Kubernetes API (the service account needs {@code get} on Secrets). */
public final class KubernetesSecretLookup implements SecretLookup {

    private final KubernetesClient client;

    public KubernetesSecretLookup(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<Map<String, byte[]>> data(String namespace, String name) {
        return get(namespace, name).map(KubernetesSecretLookup::decoded);
    }

    @Override
    public Optional<Map<String, byte[]>> credentialData(CredentialRef credential, String name) {
        Optional<Secret> secret = get(credential.namespace(), name);
        secret.ifPresent(s -> {
            Map<String, String> labels = s.getMetadata().getLabels();
            String owner = labels == null ? null : labels.get(ManagedCredentials.CREDENTIAL_LABEL);
            if (!credential.name().equals(owner)) {
                throw new PlatformException(KitFailure.SECRET_NOT_OPTED_IN, "Secret " + credential.namespace() + "/"
                        + name + " does not carry the label " + ManagedCredentials.CREDENTIAL_LABEL + "="
                        + credential.name() + (owner == null ? "" : " (it names " + owner + ")") + ", so Rotor "
                        + "may not read or write it for this credential: label it if it belongs to the credential");
            }
        });
        return secret.map(KubernetesSecretLookup::decoded);
    }

    private Optional<Secret> get(String namespace, String name) {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            String where = "Secret " + namespace + "/" + name;
            if (e.getCode() == 401 || e.getCode() == 403) {
                throw new PlatformException(KitFailure.SECRET_FORBIDDEN, "the rotator may not read " + where
                        + " (HTTP " + e.getCode() + "): grant its service account get on secrets in " + namespace, e);
            }
            throw new PlatformException(KitFailure.KUBERNETES_UNAVAILABLE, "reading " + where + " failed"
                    + (e.getCode() > 0 ? " with HTTP " + e.getCode() : "") + ": the Kubernetes API is unavailable", e);
        }
        return Optional.ofNullable(secret);
    }

    private static Map<String, byte[]> decoded(Secret secret) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            Base64.Decoder b64 = Base64.getDecoder();
            secret.getData().forEach((k, v) -> data.put(k, v == null ? new byte[0] : b64.decode(v)));
        }
        // stringData is write-only on a real API server; a fake may hand it back, and then it is the truth.
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.putIfAbsent(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return data;
    }
}
