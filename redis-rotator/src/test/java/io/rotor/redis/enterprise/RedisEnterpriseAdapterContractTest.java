package io.rotor.redis.enterprise;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.PlatformAdapter;
import io.rotor.kit.participant.PlatformAdapterContract;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.testkit.rec.RedisEnterpriseFake;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The kit's adapter contract against the Redis Enterprise fake, for both strategies. */
class RedisEnterpriseAdapterContractTest {

    private static RedisEnterpriseFake rec;
    private static final AtomicInteger USERS = new AtomicInteger();

    @BeforeAll
    static void start() {
        rec = RedisEnterpriseFake.builder().start();
    }

    @AfterAll
    static void stop() {
        rec.close();
    }

    @TestFactory
    Stream<DynamicTest> dualPassword() {
        return checks(Strategy.DUAL_PASSWORD);
    }

    @TestFactory
    Stream<DynamicTest> newIdentity() {
        return checks(Strategy.NEW_IDENTITY);
    }

    private Stream<DynamicTest> checks(Strategy strategy) {
        RecFixtures.InMemoryClusters clusters = new RecFixtures.InMemoryClusters();
        RedisEnterpriseAdapter adapter = new RedisEnterpriseAdapter(RecFixtures.secretsTrusting(rec),
                LoginBudget.inMemory(2, Duration.ofMinutes(15), Clock.systemUTC()), clusters);
        PlatformAdapterContract.Fixture fixture = new PlatformAdapterContract.Fixture() {
            @Override
            public PlatformAdapter adapter() {
                return adapter;
            }

            @Override
            public Rotation newRotation() {
                int n = USERS.incrementAndGet();
                String user = "admin" + n + "@example.com";
                String cluster = "rec" + n;
                rec.addUser(user, "admin", "Old-pw-" + n + "!");
                clusters.setUsername(RecFixtures.NAMESPACE, cluster, user);
                return RecFixtures.rotation("rot-" + n, RecFixtures.spec(rec, user, strategy, cluster),
                        "Old-pw-" + n + "!", "New-pw-" + n + "!");
            }

            @Override
            public boolean authenticates(Rotation rotation, CredentialMaterial value) {
                String user = value.get(CredentialField.USERNAME).map(SecretValue::reveal)
                        .orElse(rotation.spec().identity().username());
                return rec.accepts(user, value.require(CredentialField.PASSWORD).reveal());
            }
        };
        return PlatformAdapterContract.checks(fixture).stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), c.body()::run));
    }
}
