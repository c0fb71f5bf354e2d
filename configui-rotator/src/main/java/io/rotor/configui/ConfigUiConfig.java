package io.rotor.configui;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Config UI rotator's own settings, under {@code rotor.configui.*}; the runtime's are under rotor.participant. */
@ConfigMapping(prefix = "rotor.configui")
public interface ConfigUiConfig {

    /**
     * Manual mode: before anything is written, log in with the operator's confirmed password through the credential's
     * recipe (its login steps), where it has one, so that a mistyped confirmation is refused instead of written into
     * the Secret and rolled out to the pods. Each refusal counts as a failed login on the portal.
     */
    @WithDefault("true")
    boolean verifyConfirmations();
}
