package io.rotor.redis.enterprise;

import java.util.Optional;

/**
 * The RedisEnterpriseCluster custom resource ({@code app.redislabs.com/v1}), whose {@code spec.username} names the
 * admin the operator uses. new-identity points it at the new admin, and back on rollback.
 */
public interface ClusterResource {

    /** {@code spec.username}; empty when the resource has none. @throws PlatformException if it does not exist */
    Optional<String> username(String namespace, String name);

    void setUsername(String namespace, String name, String username);

    /**
     * Whether the resource exists and its {@code spec.username} is {@code username}: a rollback deletes the new admin
     * only once this is false. A missing resource names nobody. @throws PlatformException if it cannot be read
     */
    boolean names(String namespace, String name, String username);
}
