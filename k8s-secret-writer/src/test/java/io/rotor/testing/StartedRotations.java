package io.rotor.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.envelope.EventJson;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.kit.credential.ManagedCredentialSource;
import io.rotor.kit.messaging.RecordRefused;
import io.rotor.kit.rotation.OpenRotation;
import io.rotor.kit.rotation.OpenRotations;
import io.rotor.kit.rotation.RotationAuthority;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the orchestrator would have done before a step reaches the writer or the restarter: the ManagedCredential
 * stored in the sandbox's API server, and its rotation started (as the follower of {@code rotor.events} would know it).
 */
public final class StartedRotations implements RotationAuthority {

    private final OpenRotations open = new OpenRotations();
    private final KubernetesClient client;

    public StartedRotations(KubernetesClient client) {
        this.client = client;
    }

    /** Stores (or replaces) the ManagedCredential with this spec and starts a rotation of it at its generation. */
    public void start(String rotationId, CredentialRef credential, ManagedCredentialSpec spec) {
        long generation = store(credential, spec);
        open.apply(new RotationStarted(rotationId, credential, "req-" + rotationId, "test", null, spec, Map.of(),
                generation, SpecDigest.of(spec)), Instant.now());
    }

    /** Changes the stored ManagedCredential (a new generation), as its author would mid-rotation. */
    public long store(CredentialRef credential, ManagedCredentialSpec spec) {
        var resources = client.genericKubernetesResources(ManagedCredentialSource.CONTEXT)
                .inNamespace(credential.namespace());
        GenericKubernetesResource existing = resources.withName(credential.name()).get();
        long generation = existing == null || existing.getMetadata().getGeneration() == null ? 1
                : existing.getMetadata().getGeneration() + 1;
        GenericKubernetesResource resource = new GenericKubernetesResourceBuilder()
                .withApiVersion(ManagedCredentials.API_VERSION).withKind(ManagedCredentials.KIND).withNewMetadata()
                .withName(credential.name()).withNamespace(credential.namespace()).withGeneration(generation)
                .endMetadata().build();
        resource.setAdditionalProperty("spec", EventJson.newMapper().convertValue(spec, Map.class));
        GenericKubernetesResource stored = existing == null ? resources.resource(resource).create()
                : resources.resource(resource).update();
        Long kept = stored.getMetadata().getGeneration();
        return kept == null ? generation : kept;
    }

    public void end(String rotationId, CredentialRef credential) {
        open.apply(new RotationCompleted(rotationId, credential, Map.of(), Duration.ZERO), Instant.now());
    }

    @Override
    public CompletionStage<OpenRotation> current(CredentialRef credential, String rotationId) {
        return open.find(credential, rotationId).map(CompletableFuture::completedFuture)
                .orElseGet(() -> CompletableFuture.failedFuture(new RecordRefused(RecordRefused.Reason.NOT_CURRENT,
                        "rotation " + rotationId + " is not in flight for " + credential)));
    }
}
