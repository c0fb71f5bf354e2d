package io.rotor.kit.sealing;

import io.quarkus.arc.DefaultBean;
import io.rotor.contracts.sealing.Keyring;
import io.rotor.contracts.sealing.SealingException;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.kit.KitConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The service's keyrings, read once at start-up: each audience it holds from the inline configuration or the mounted
 * directory. A missing or bad keyring stops the service at start-up rather than at its first rotation.
 */
public class SealingKeysProducer {

    private static final Logger LOG = Logger.getLogger(SealingKeysProducer.class);

    @Produces
    @Singleton
    @DefaultBean
    SealingKeys sealingKeys(KitConfig config) {
        return load(config.sealing(), config.sealing().audiences().orElse(Set.of()));
    }

    /** Loads exactly {@code audiences}: inline keys where given, else from the directory. */
    public static SealingKeys load(KitConfig.Sealing config, Set<String> audiences) {
        Set<String> extra = new TreeSet<>(config.keys().keySet());
        extra.removeAll(audiences);
        if (!extra.isEmpty()) {
            throw new SealingException(SealingException.Reason.BAD_KEYRING, "keys are configured for " + extra
                    + ", which this service does not hold (rotor.sealing.audiences: " + new TreeSet<>(audiences) + ")");
        }
        Map<String, Keyring> keyrings = new LinkedHashMap<>();
        Set<String> fromDir = new TreeSet<>();
        for (String audience : new TreeSet<>(audiences)) {
            String inline = config.keys().get(audience);
            if (inline != null) {
                keyrings.put(audience, Keyring.parse(inline));
            } else {
                fromDir.add(audience);
            }
        }
        if (!fromDir.isEmpty()) {
            SealingKeys mounted = SealingKeys.fromDirectory(config.dir().orElseThrow(() -> new SealingException(
                    SealingException.Reason.BAD_KEYRING, "no keyring for " + fromDir + ": set rotor.sealing.dir "
                            + "(ROTOR_SEALING_DIR) to where the sealing-key Secrets are mounted")), fromDir);
            fromDir.forEach(a -> keyrings.put(a, mounted.sealerFor(a).keyring()));
        }
        SealingKeys keys = SealingKeys.of(keyrings);
        LOG.infof("holding keyrings for %s", keys.audiences().isEmpty() ? "no audience: this service opens no "
                + "sealed value" : keys);
        return keys;
    }
}
