package io.rotor.kit.sealing;

import io.smallrye.config.ConfigMapping;

/**
 * The sealing keys, in the compact form {@code id=base64,id=base64} with the primary first. In a cluster this comes
 * from the sealing-key Secret through the environment variable {@code ROTOR_SEALING_KEYS}.
 */
@ConfigMapping(prefix = "rotor.sealing")
public interface SealingConfig {

    String keys();
}
