package io.rotor.kit.rotation;

import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.kit.KitConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;

/**
 * The participants' authority on which rotations are in flight: a follower of {@code rotor.events}, started when a
 * participant first needs it (the orchestrator, which owns the sagas, never does).
 */
public class RotationAuthorityProducer {

    /** Injected as itself (health, tests) or as the {@link RotationAuthority} participants ask. */
    @Produces
    @Singleton
    OutcomeFollower follower(@Identifier("default-kafka-broker") Map<String, Object> kafka, CloudEventCodec codec,
            KitConfig config) {
        OutcomeFollower follower = new OutcomeFollower(kafka, codec, config.outcomes().catchUpTimeout(),
                Clock.systemUTC());
        follower.start();
        return follower;
    }

    void close(@Disposes OutcomeFollower follower) {
        follower.close();
    }
}
