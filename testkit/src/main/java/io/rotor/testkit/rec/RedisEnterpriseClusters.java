package io.rotor.testkit.rec;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import java.util.Map;
import java.util.Optional;

/**
 * The Redis Enterprise operator's {@code RedisEnterpriseCluster} resource ({@code app.redislabs.com/v1}) in the
 * Kubernetes sandbox: register it with {@code KubernetesSandbox.builder().withCustomResource(context())}.
 */
public final class RedisEnterpriseClusters {

    public static final String API_VERSION = "app.redislabs.com/v1";
    public static final String KIND = "RedisEnterpriseCluster";

    private RedisEnterpriseClusters() {
    }

    public static CustomResourceDefinitionContext context() {
        return new CustomResourceDefinitionContext.Builder()
                .withGroup("app.redislabs.com").withVersion("v1").withKind(KIND)
                .withPlural("redisenterpriseclusters").withScope("Namespaced").build();
    }

    /** Creates a cluster resource whose admin is {@code username}, as the operator's users write it. */
    public static GenericKubernetesResource create(KubernetesClient client, String namespace, String name,
            String username) {
        GenericKubernetesResource rec = new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION).withKind(KIND)
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .build();
        rec.setAdditionalProperty("spec", Map.of("nodes", 3, "username", username));
        return client.genericKubernetesResources(API_VERSION, KIND).inNamespace(namespace).resource(rec).create();
    }

    /** The cluster's {@code spec.username} as stored now. */
    public static Optional<String> username(KubernetesClient client, String namespace, String name) {
        GenericKubernetesResource rec = client.genericKubernetesResources(API_VERSION, KIND).inNamespace(namespace)
                .withName(name).get();
        if (rec == null || !(rec.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)) {
            return Optional.empty();
        }
        return Optional.ofNullable((String) spec.get("username"));
    }
}
