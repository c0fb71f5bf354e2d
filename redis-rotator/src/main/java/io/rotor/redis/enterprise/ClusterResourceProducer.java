package io.rotor.redis.enterprise;

import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The RedisEnterpriseCluster resources, through the service's Kubernetes client. */
public class ClusterResourceProducer {

    @Produces
    @Singleton
    ClusterResource clusterResource(KubernetesClient client) {
        return new KubernetesClusterResource(client);
    }
}
