package io.rotor.testkit.kubernetes;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rotor.contracts.credential.ManagedCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Rotor's custom resources as the sandbox installs them: the real CRD that {@code contracts} ships. */
public final class RotorCustomResources {

    public static final String GROUP = ManagedCredentials.GROUP;
    public static final String VERSION = ManagedCredentials.VERSION;
    public static final String MANAGED_CREDENTIAL_KIND = ManagedCredentials.KIND;
    public static final String MANAGED_CREDENTIAL_PLURAL = ManagedCredentials.PLURAL;
    public static final String MANAGED_CREDENTIAL_API_VERSION = ManagedCredentials.API_VERSION;

    private static final String CRD_RESOURCE = "/crd/managedcredentials.rotor.io.yaml";

    private RotorCustomResources() {
    }

    /** Group, version, kind, plural, namespaced, with a status subresource. */
    public static CustomResourceDefinitionContext managedCredentialContext() {
        return CustomResourceDefinitionContext.fromCrd(managedCredentialDefinition());
    }

    /** The {@code managedcredentials.rotor.io} CRD (the mock does not validate against its schema). */
    public static CustomResourceDefinition managedCredentialDefinition() {
        try (InputStream in = RotorCustomResources.class.getResourceAsStream(CRD_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CRD_RESOURCE + " is not on the classpath; it ships with contracts");
            }
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
