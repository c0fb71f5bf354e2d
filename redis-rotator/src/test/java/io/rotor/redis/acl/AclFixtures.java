package io.rotor.redis.acl;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.RedisAclOptions;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretKeyRef;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.Rotation;
import io.rotor.testkit.redis.RedisServerProcess;
import io.rotor.testkit.redis.RespClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Specs and rotations for Redis ACL tests against real redis-server processes. */
final class AclFixtures {

    static final String ADMIN_PASSWORD = "admin-pw";
    static final String NAMESPACE = "shop";

    private AclFixtures() {
    }

    static List<String> hosts(List<RedisServerProcess> nodes) {
        return nodes.stream().map(n -> n.host() + ":" + n.port()).toList();
    }

    /** A spec for {@code user} on the nodes; with {@code admin}, the default user logs in (password in a Secret). */
    static ManagedCredentialSpec spec(String user, List<RedisServerProcess> nodes, boolean admin) {
        return new ManagedCredentialSpec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD,
                new Endpoint(null, hosts(nodes), null, null, Duration.ofSeconds(2)),
                new Identity(user, null, null),
                List.of(new SecretTarget(user + "-redis", SecretFormat.KEYS, Map.of("password", "password"), null, null,
                        null, null)),
                null, null, Duration.ofSeconds(30), null, null, null, null, null,
                admin ? new RedisAclOptions(null, new SecretKeyRef("redis-admin", "password")) : null);
    }

    static Rotation rotation(String id, ManagedCredentialSpec spec, String oldPassword, String newPassword) {
        String user = spec.identity().username();
        return new Rotation(id, CredentialRef.parse(NAMESPACE + "/" + user), spec,
                CredentialMaterial.password(SecretValue.of(newPassword)),
                CredentialMaterial.password(SecretValue.of(oldPassword)));
    }

    static boolean authenticates(RedisServerProcess node, String user, String password) {
        try (RespClient client = node.connect()) {
            return client.auth(user, password);
        }
    }

    static boolean everywhere(List<RedisServerProcess> nodes, String user, String password) {
        return nodes.stream().allMatch(n -> authenticates(n, user, password));
    }

    static boolean nowhere(List<RedisServerProcess> nodes, String user, String password) {
        return nodes.stream().noneMatch(n -> authenticates(n, user, password));
    }

    /** Creates {@code user} with full access and one password on every node, saved to each aclfile. */
    static void createUser(List<RedisServerProcess> nodes, String user, String password) {
        for (RedisServerProcess node : nodes) {
            try (RespClient admin = node.connectAsDefaultUser()) {
                admin.callText("ACL", "SETUSER", user, "on", ">" + password, "~*", "&*", "+@all");
                admin.callText("ACL", "SAVE");
            }
        }
    }
}
