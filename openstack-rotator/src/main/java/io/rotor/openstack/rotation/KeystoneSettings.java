package io.rotor.openstack.rotation;

import java.time.Duration;

/**
 * How the Keystone adapters pace themselves.
 *
 * @param concurrency         Keystone calls in flight per Keystone endpoint
 * @param tokenRevocationWait how long after a password change a verifying login waits: Keystone revokes every token
 *                            of the user issued up to the end of the change's second
 * @param verifyAttempts      logins with the new password before a token that keeps being revoked fails the step
 */
public record KeystoneSettings(int concurrency, Duration tokenRevocationWait, int verifyAttempts) {

    public KeystoneSettings {
        if (concurrency < 1 || verifyAttempts < 1) {
            throw new IllegalArgumentException("concurrency and verify attempts must be at least 1");
        }
        if (tokenRevocationWait.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("Keystone revokes tokens of the same second: wait at least 1 s");
        }
    }
}
