package io.rotor.redis.enterprise;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.RedisEnterpriseOptions;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretKeyRef;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.Rotation;
import io.rotor.redis.InMemorySecretLookup;
import io.rotor.testkit.rec.RedisEnterpriseFake;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Specs and rotations for Redis Enterprise tests against the fake. */
final class RecFixtures {

    static final String NAMESPACE = "redis";
    static final String CA_SECRET = "rec-ca";

    private RecFixtures() {
    }

    /** Puts the fake's CA into the in-memory Secrets, where caSecretRef points. */
    static InMemorySecretLookup secretsTrusting(RedisEnterpriseFake rec) {
        return new InMemorySecretLookup().putBytes(NAMESPACE, CA_SECRET, "ca.crt",
                rec.certificateAuthority().certificatePemBytes());
    }

    static ManagedCredentialSpec spec(RedisEnterpriseFake rec, String user, Strategy strategy, String cluster) {
        return spec(rec.url(), new SecretKeyRef(CA_SECRET, "ca.crt"), null, user, strategy, cluster);
    }

    static ManagedCredentialSpec spec(String url, SecretKeyRef ca, Boolean insecure, String user, Strategy strategy,
            String cluster) {
        return spec(url, ca, insecure, user, strategy, cluster, null);
    }

    /** A new-identity spec whose new admin gets {@code redisEnterprise.role}. */
    static ManagedCredentialSpec newIdentity(RedisEnterpriseFake rec, String user, String cluster, String role) {
        return spec(rec.url(), new SecretKeyRef(CA_SECRET, "ca.crt"), null, user, Strategy.NEW_IDENTITY, cluster, role);
    }

    static ManagedCredentialSpec spec(String url, SecretKeyRef ca, Boolean insecure, String user, Strategy strategy,
            String cluster, String role) {
        return new ManagedCredentialSpec(Platform.REDIS_ENTERPRISE, strategy,
                new Endpoint(url, null, ca, insecure, Duration.ofSeconds(5)),
                new Identity(user, null, null),
                List.of(new SecretTarget(cluster == null ? "rec" : cluster, SecretFormat.KEYS,
                        Map.of("username", "username", "password", "password"), null, null, null, null)),
                null, null, Duration.ofMinutes(5), null, null,
                cluster == null ? null : new RedisEnterpriseOptions(cluster, role), null, null);
    }

    static Rotation rotation(String id, ManagedCredentialSpec spec, String oldPassword, String newPassword) {
        String user = spec.identity().username();
        return new Rotation(id, CredentialRef.parse(NAMESPACE + "/" + (spec.redisEnterprise() == null ? "rec"
                : spec.redisEnterprise().clusterName())), spec,
                CredentialMaterial.password(SecretValue.of(newPassword)),
                CredentialMaterial.usernameAndPassword(user, SecretValue.of(oldPassword)));
    }

    /** The rotation as revoke and removeNew see it after apply. */
    static Rotation after(Rotation r, io.rotor.kit.participant.Applied applied) {
        return new Rotation(r.rotationId(), r.credential(), r.spec(), applied.handOn(), applied.previous());
    }

    /** RedisEnterpriseCluster resources in memory. */
    static final class InMemoryClusters implements ClusterResource {

        final Map<String, String> usernames = new ConcurrentHashMap<>();
        /** Runs before each change of a username (given the new one): looks at the platform then, or fails it. */
        volatile Consumer<String> beforeSet = username -> { };

        @Override
        public Optional<String> username(String namespace, String name) {
            if (!usernames.containsKey(namespace + "/" + name)) {
                throw new io.rotor.kit.participant.PlatformException(RecFailure.CLUSTER_RESOURCE, "no cluster " + name);
            }
            return Optional.ofNullable(usernames.get(namespace + "/" + name));
        }

        @Override
        public void setUsername(String namespace, String name, String username) {
            beforeSet.accept(username);
            usernames.put(namespace + "/" + name, username);
        }

        @Override
        public boolean names(String namespace, String name, String username) {
            return username.equals(usernames.get(namespace + "/" + name));
        }
    }
}
