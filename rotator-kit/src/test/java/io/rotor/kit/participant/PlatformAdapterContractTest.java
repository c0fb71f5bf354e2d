package io.rotor.kit.participant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The contract suite itself: a well-behaved adapter passes every check, and a broken one is caught. */
class PlatformAdapterContractTest {

    private static final AtomicInteger USERS = new AtomicInteger();

    static PlatformAdapterContract.Fixture fixtureFor(InMemoryPlatform platform) {
        return new PlatformAdapterContract.Fixture() {
            @Override
            public PlatformAdapter adapter() {
                return platform;
            }

            @Override
            public Rotation newRotation() {
                String user = "user" + USERS.incrementAndGet();
                platform.user(user, "old-" + user);
                return new Rotation("r-" + user, CredentialRef.parse("ns/" + user),
                        Fixtures.spec(user, user, Strategy.DUAL_PASSWORD, Duration.ZERO),
                        CredentialMaterial.password(SecretValue.of("new-" + user)),
                        CredentialMaterial.password(SecretValue.of("old-" + user)));
            }

            @Override
            public boolean authenticates(Rotation rotation, CredentialMaterial value) {
                return platform.authenticates(rotation.oldUsername().orElseThrow(), value);
            }
        };
    }

    @TestFactory
    Stream<DynamicTest> aWellBehavedAdapterPassesEveryCheck() {
        return PlatformAdapterContract.checks(fixtureFor(new InMemoryPlatform())).stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), c.body()::run));
    }

    @Test
    void anAdapterThatChangesTheValueTwiceIsCaught() {
        InMemoryPlatform notIdempotent = new InMemoryPlatform() {
            @Override
            public Applied apply(Rotation r) {
                Applied applied = super.apply(r);
                return new Applied(true, applied.handOn(), applied.previous(), Map.of());
            }
        };

        assertThatThrownBy(() -> check(notIdempotent, "apply again changes nothing"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("second apply");
    }

    @Test
    void anAdapterThatRevokesTheWrongValueIsCaught() {
        InMemoryPlatform wrongValue = new InMemoryPlatform() {
            @Override
            public synchronized Change revoke(Rotation r) {
                return super.removeNew(r);
            }
        };

        assertThatThrownBy(() -> check(wrongValue, "revoke leaves only the new value"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("new value must authenticate");
    }

    @Test
    void anAdapterWhoseFailuresNameThePasswordIsCaught() {
        InMemoryPlatform leaky = new InMemoryPlatform() {
            @Override
            public void verify(Rotation r) {
                throw new PlatformException(Failure.REFUSED, "refused " + r.newPassword().reveal());
            }
        };

        assertThatThrownBy(() -> check(leaky, "a failure's message carries no secret"))
                .isInstanceOf(AssertionError.class).hasMessageNotContaining("new-user");
    }

    @Test
    void everyCheckHasADistinctName() {
        List<String> names = PlatformAdapterContract.checks(fixtureFor(new InMemoryPlatform())).stream()
                .map(PlatformAdapterContract.Check::name).toList();
        assertThat(names).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(10);
    }

    private static void check(InMemoryPlatform platform, String name) {
        PlatformAdapterContract.checks(fixtureFor(platform)).stream().filter(c -> c.name().equals(name))
                .findFirst().orElseThrow().body().run();
    }
}
