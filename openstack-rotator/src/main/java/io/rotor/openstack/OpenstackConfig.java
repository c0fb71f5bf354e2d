package io.rotor.openstack;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The OpenStack rotator's own settings, under {@code rotor.openstack.*}; the runtime's are under rotor.participant. */
@ConfigMapping(prefix = "rotor.openstack")
public interface OpenstackConfig {

    /**
     * Keystone calls in flight per Keystone endpoint. A password change costs Keystone two or three bcrypt hashes
     * (about 0.3 s each at its default cost 12 on one core); a single-process Keystone on sqlite serves one at a
     * time, so 2 keeps it busy without queueing work it cannot do. Raise it for a Keystone with several workers.
     */
    @WithDefault("2")
    int keystoneConcurrency();

    /**
     * How long the verifying login waits after a password change. Keystone revokes every token of the user issued up
     * to the end of the change's second, so it must be at least one second.
     */
    @WithDefault("PT1.1S")
    Duration tokenRevocationWait();

    /** Logins with the new password before a token that keeps being revoked fails the step. */
    @WithDefault("3")
    int verifyAttempts();
}
