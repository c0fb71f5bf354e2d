package io.rotor.kit.lookup;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.arc.DefaultBean;
import io.rotor.kit.participant.CurrentValueReader;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Secrets from the Kubernetes API, and the current value from a {@code keys} Secret, unless a service replaces them. */
public class LookupProducer {

    @Produces
    @Singleton
    @DefaultBean
    SecretLookup secretLookup(KubernetesClient client) {
        return new KubernetesSecretLookup(client);
    }

    @Produces
    @Singleton
    @DefaultBean
    CurrentValueReader currentValueReader(SecretLookup secrets) {
        return new KeysFormatCurrentValueReader(secrets);
    }
}
