package io.rotor.orchestrator.config;

import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.kit.KitConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.UUID;

/**
 * The kit's codec, stamped with the orchestrator's clock: the saga measures deadlines and step times from the
 * {@code ce_time} of the records it reads back, so what it writes must carry the same clock it compares against.
 */
public class OrchestratorCodec {

    @Produces
    @Singleton
    @Alternative
    @Priority(10)
    CloudEventCodec codec(KitConfig config, Clock clock) {
        return new CloudEventCodec("/rotor/" + config.serviceName(), clock, () -> UUID.randomUUID().toString());
    }
}
