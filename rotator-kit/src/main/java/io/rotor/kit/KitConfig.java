package io.rotor.kit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What every Rotor service says about itself, under {@code rotor.*}. */
@ConfigMapping(prefix = "rotor")
public interface KitConfig {

    /** The service's name; events it writes carry {@code /rotor/<name>} as their CloudEvents source. */
    @WithDefault("${quarkus.application.name:rotor}")
    String serviceName();

    Sealing sealing();

    interface Sealing {

        /**
         * The sealing keys, in the compact form {@code id=base64,id=base64} with the primary first. In a cluster
         * this comes from the sealing-key Secret through the environment variable {@code ROTOR_SEALING_KEYS}.
         */
        String keys();
    }
}
