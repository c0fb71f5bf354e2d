package io.rotor.kit.messaging;

import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.kit.KitConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One codec per service, stamped with the service as the source of what it writes. */
public class CodecProducer {

    @Produces
    @Singleton
    CloudEventCodec codec(KitConfig config) {
        return new CloudEventCodec("/rotor/" + config.serviceName());
    }
}
