package io.rotor.redis.enterprise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.rotor.kit.participant.PlatformException;
import java.util.Map;
import java.util.Optional;

/** The RedisEnterpriseCluster resource through the Kubernetes API; a JSON merge patch changes only the username. */
public final class KubernetesClusterResource implements ClusterResource {

    static final String API_VERSION = "app.redislabs.com/v1";
    static final String KIND = "RedisEnterpriseCluster";

    private final KubernetesClient client;
    private final ObjectMapper json = new ObjectMapper();

    public KubernetesClusterResource(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<String> username(String namespace, String name) {
        GenericKubernetesResource resource = call(namespace, name, "read", r -> r.get());
        if (resource == null) {
            throw new PlatformException(RecFailure.CLUSTER_RESOURCE, KIND + " " + namespace + "/" + name
                    + " does not exist; redisEnterprise.clusterName must name the cluster's resource");
        }
        return usernameOf(resource);
    }

    @Override
    public boolean names(String namespace, String name, String username) {
        GenericKubernetesResource resource = call(namespace, name, "read", r -> r.get());
        return resource != null && usernameOf(resource).map(username::equals).orElse(false);
    }

    private static Optional<String> usernameOf(GenericKubernetesResource resource) {
        Object spec = resource.getAdditionalProperties().get("spec");
        return spec instanceof Map<?, ?> map && map.get("username") instanceof String username
                ? Optional.of(username) : Optional.empty();
    }

    @Override
    public void setUsername(String namespace, String name, String username) {
        String patch;
        try {
            patch = json.writeValueAsString(Map.of("spec", Map.of("username", username)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        call(namespace, name, "patch", r -> r.patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    }

    private <T> T call(String namespace, String name, String verb,
            java.util.function.Function<Resource<GenericKubernetesResource>, T> action) {
        String what = KIND + " " + namespace + "/" + name;
        try {
            return action.apply(client.genericKubernetesResources(API_VERSION, KIND).inNamespace(namespace)
                    .withName(name));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw new PlatformException(RecFailure.CLUSTER_RESOURCE, what + " does not exist", e);
            }
            if (e.getCode() == 401 || e.getCode() == 403) {
                throw new PlatformException(RecFailure.CLUSTER_RESOURCE, "the rotator may not " + verb + " " + what
                        + " (HTTP " + e.getCode() + "): grant its service account get and patch on "
                        + "redisenterpriseclusters.app.redislabs.com", e);
            }
            throw new PlatformException(RecFailure.CLUSTER_RESOURCE_UNAVAILABLE, "could not " + verb + " " + what
                    + ": the Kubernetes API is unavailable" + (e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : ""), e);
        }
    }
}
