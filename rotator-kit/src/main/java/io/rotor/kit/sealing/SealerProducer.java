package io.rotor.kit.sealing;

import io.rotor.contracts.sealing.Keyring;
import io.rotor.contracts.sealing.Sealer;
import io.rotor.kit.KitConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** The service's sealer, built once from configuration; a bad keyring stops the service at start-up. */
public class SealerProducer {

    private static final Logger LOG = Logger.getLogger(SealerProducer.class);

    @Produces
    @Singleton
    Sealer sealer(KitConfig config) {
        Keyring keyring = Keyring.parse(config.sealing().keys());
        LOG.infof("sealing with key %s; %d key(s) can open", keyring.primaryId(), keyring.keyIds().size());
        return new Sealer(keyring);
    }
}
