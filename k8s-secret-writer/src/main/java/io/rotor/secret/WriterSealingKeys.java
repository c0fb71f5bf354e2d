package io.rotor.secret;

import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.kit.KitConfig;
import io.rotor.kit.sealing.SealingKeysProducer;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * The writer opens every platform's new values, so it holds every audience it is configured with; the pod restarter
 * (this image with the writer turned off) opens nothing and holds no keyring, whatever is mounted.
 */
public class WriterSealingKeys {

    @Produces
    @Singleton
    SealingKeys sealingKeys(KitConfig kit, WriterConfig writer) {
        if (!writer.enabled()) {
            return SealingKeys.none();
        }
        return SealingKeysProducer.load(kit.sealing(), kit.sealing().audiences().orElse(Set.of()));
    }
}
