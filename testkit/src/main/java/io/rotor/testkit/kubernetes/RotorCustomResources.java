package io.rotor.testkit.kubernetes;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;

/**
 * Rotor's custom resources as the sandbox needs them. The schema here is deliberately open (any fields): the real
 * CRD with its validation lives in {@code deploy/}, and the mock does not validate against schemas anyway.
 */
public final class RotorCustomResources {

    public static final String GROUP = "rotor.io";
    public static final String VERSION = "v1alpha1";
    public static final String MANAGED_CREDENTIAL_KIND = "ManagedCredential";
    public static final String MANAGED_CREDENTIAL_PLURAL = "managedcredentials";
    public static final String MANAGED_CREDENTIAL_API_VERSION = GROUP + "/" + VERSION;

    private RotorCustomResources() {
    }

    /** Group, version, kind, plural, namespaced, with a status subresource. */
    public static CustomResourceDefinitionContext managedCredentialContext() {
        return CustomResourceDefinitionContext.fromCrd(managedCredentialDefinition());
    }

    /** A minimal {@code apiextensions.k8s.io/v1} CRD for {@code managedcredentials.rotor.io}. */
    public static CustomResourceDefinition managedCredentialDefinition() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(MANAGED_CREDENTIAL_PLURAL + "." + GROUP).endMetadata()
                .withNewSpec()
                .withGroup(GROUP)
                .withScope("Namespaced")
                .withNewNames()
                .withKind(MANAGED_CREDENTIAL_KIND)
                .withListKind(MANAGED_CREDENTIAL_KIND + "List")
                .withPlural(MANAGED_CREDENTIAL_PLURAL)
                .withSingular("managedcredential")
                .addToShortNames("mcred")
                .endNames()
                .addNewVersion()
                .withName(VERSION)
                .withServed(true)
                .withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withNewOpenAPIV3Schema()
                .withType("object")
                .withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema()
                .endVersion()
                .endSpec()
                .build();
    }
}
