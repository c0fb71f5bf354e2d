package io.rotor.kit.participant;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.kit.lookup.SecretLookup;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Secrets in memory, as the rotator would read them from Kubernetes. */
final class InMemorySecrets implements SecretLookup {

    private final Map<String, Map<String, byte[]>> secrets = new ConcurrentHashMap<>();

    void put(String namespace, String name, Map<String, String> data) {
        Map<String, byte[]> bytes = new HashMap<>();
        data.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
        secrets.put(namespace + "/" + name, bytes);
    }

    @Override
    public Optional<Map<String, byte[]>> data(String namespace, String name) {
        return Optional.ofNullable(secrets.get(namespace + "/" + name));
    }

    /** Labels are not modelled here: every Secret counts as opted in (KubernetesSecretLookup checks the label). */
    @Override
    public Optional<Map<String, byte[]>> credentialData(CredentialRef credential, String name) {
        return data(credential.namespace(), name);
    }
}
