package io.rotor.redis.acl;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.kit.participant.PlatformAdapter;
import io.rotor.kit.participant.PlatformAdapterContract;
import io.rotor.kit.participant.Rotation;
import io.rotor.redis.InMemorySecretLookup;
import io.rotor.testkit.redis.RedisReplicaSet;
import io.rotor.testkit.redis.RedisServerProcess;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The kit's adapter contract against a real primary and two replicas, each with its own aclfile. */
class RedisAclAdapterContractTest {

    private static RedisReplicaSet redis;
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final InMemorySecretLookup SECRETS = new InMemorySecretLookup()
            .put(AclFixtures.NAMESPACE, "redis-admin", Map.of("password", AclFixtures.ADMIN_PASSWORD));

    @BeforeAll
    static void start() {
        redis = RedisReplicaSet.start(node -> node.defaultUserPassword(AclFixtures.ADMIN_PASSWORD).withAclFile());
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @TestFactory
    Stream<DynamicTest> theAclAdapterKeepsTheContract() {
        RedisAclAdapter adapter = new RedisAclAdapter(SECRETS);
        List<RedisServerProcess> nodes = redis.nodes();
        PlatformAdapterContract.Fixture fixture = new PlatformAdapterContract.Fixture() {
            @Override
            public PlatformAdapter adapter() {
                return adapter;
            }

            @Override
            public Rotation newRotation() {
                String user = "contract" + USERS.incrementAndGet();
                AclFixtures.createUser(nodes, user, "old-" + user);
                ManagedCredentialSpec spec = AclFixtures.spec(user, nodes, true);
                return AclFixtures.rotation("r-" + user, spec, "old-" + user, "new-" + user);
            }

            @Override
            public boolean authenticates(Rotation rotation, CredentialMaterial value) {
                return AclFixtures.everywhere(nodes, rotation.spec().identity().username(),
                        value.require(CredentialField.PASSWORD).reveal());
            }
        };
        return PlatformAdapterContract.checks(fixture).stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), c.body()::run));
    }
}
