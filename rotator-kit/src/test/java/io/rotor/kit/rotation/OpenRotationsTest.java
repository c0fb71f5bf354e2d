package io.rotor.kit.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.RotationStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenRotationsTest {

    private static final CredentialRef REF = CredentialRef.parse("shop/cache");
    private static final ManagedCredentialSpec SPEC = new ManagedCredentialSpec(Platform.REDIS_ACL,
            Strategy.DUAL_PASSWORD, new Endpoint(null, List.of("127.0.0.1:6379"), null, null, null),
            new Identity("cache", null, null), List.of(new SecretTarget("cache", SecretFormat.KEYS,
                    Map.of("password", "password"), null, null, null, null)),
            null, null, null, null, null, null, null, null);

    @Test
    void aStartWrittenAgainAfterItsRotationEndedDoesNotOpenItAgain() {
        OpenRotations open = new OpenRotations();
        open.apply(started("r1"), Instant.EPOCH);
        open.apply(new RotationCompleted("r1", REF, Map.of(), Duration.ZERO), Instant.EPOCH);

        open.apply(started("r1"), Instant.EPOCH.plusSeconds(600));

        assertThat(open.find(REF, "r1")).isEmpty();
        assertThat(open.size()).isZero();
    }

    @Test
    void anotherRotationOfTheSameCredentialOpensAsUsual() {
        OpenRotations open = new OpenRotations();
        open.apply(started("r1"), Instant.EPOCH);
        open.apply(new RotationCompleted("r1", REF, Map.of(), Duration.ZERO), Instant.EPOCH);

        open.apply(started("r2"), Instant.EPOCH.plusSeconds(600));

        assertThat(open.find(REF, "r2")).hasValueSatisfying(r -> assertThat(r.generation()).isEqualTo(3));
    }

    private static RotationStarted started(String id) {
        return new RotationStarted(id, REF, "req-" + id, "test", null, SPEC, Map.of(), 3, SpecDigest.of(SPEC));
    }
}
