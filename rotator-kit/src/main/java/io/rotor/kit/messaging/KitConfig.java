package io.rotor.kit.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What every Rotor service says about itself. */
@ConfigMapping(prefix = "rotor")
public interface KitConfig {

    /** The service's name; events it writes carry {@code /rotor/<name>} as their CloudEvents source. */
    @WithDefault("${quarkus.application.name:rotor}")
    String serviceName();
}
