package io.rotor.kit.credential;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.envelope.StrictJson;
import io.rotor.contracts.validation.ValidationException;
import io.rotor.kit.rotation.OpenRotation;

/**
 * What a rotation may touch, read from the Kubernetes API and never from a Kafka record: the ManagedCredential as
 * stored, which must still be at the generation the orchestrator started the rotation with and digest to the same
 * spec. A record — even a true one — therefore cannot widen what a service writes or restarts, and a
 * ManagedCredential changed mid-rotation stops the rotation instead of steering it.
 */
public final class ManagedCredentialSource {

    /** Given rather than discovered: one call less, and no discovery permission needed. */
    public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup(ManagedCredentials.GROUP).withVersion(ManagedCredentials.VERSION)
            .withKind(ManagedCredentials.KIND).withPlural(ManagedCredentials.PLURAL).withNamespaced(true).build();

    private final KubernetesClient client;
    private final StrictJson strict = new StrictJson();

    public ManagedCredentialSource(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Blocking: one API call.
     *
     * @throws SpecChanged                                             when the credential is gone, changed or differs
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server does not answer
     */
    public ManagedCredentialSpec specOf(OpenRotation rotation) {
        String where = "ManagedCredential " + rotation.credential();
        GenericKubernetesResource resource = client.genericKubernetesResources(CONTEXT).inNamespace(rotation.credential().namespace())
                .withName(rotation.credential().name()).get();
        if (resource == null) {
            throw new SpecChanged(where + " no longer exists; rotation " + rotation.rotationId() + " cannot go on");
        }
        Long generation = resource.getMetadata().getGeneration();
        if (generation == null || generation != rotation.generation()) {
            throw new SpecChanged(where + " changed while rotation " + rotation.rotationId() + " was in flight "
                    + "(generation " + rotation.generation() + " at the start, " + generation + " now); nothing of "
                    + "this step was done — revert the change or rotate again");
        }
        ManagedCredentialSpec spec;
        try {
            JsonNode node = strict.mapper().valueToTree(resource.getAdditionalProperties().get("spec"));
            spec = strict.read(node, ManagedCredentialSpec.class, "spec");
        } catch (ValidationException | IllegalArgumentException e) {
            throw new SpecChanged(where + " no longer reads as a valid spec; rotation " + rotation.rotationId()
                    + " cannot go on");
        }
        if (!SpecDigest.of(spec).equals(rotation.specDigest())) {
            throw new SpecChanged(where + " at generation " + generation + " is not the spec the orchestrator "
                    + "started rotation " + rotation.rotationId() + " with; refusing to act on either");
        }
        return spec;
    }

    /** The ManagedCredential is not what the rotation started with. Messages name the credential, never values. */
    public static final class SpecChanged extends RuntimeException {

        public static final String CODE = "spec_changed";

        public SpecChanged(String message) {
            super(message);
        }
    }
}
