package io.rotor.openstack.keystone;

import io.rotor.testkit.keystone.ExternalKeystone;
import io.rotor.testkit.keystone.Keystone;
import io.rotor.testkit.keystone.KeystoneServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance suite against a real Keystone: the one this class starts with keystone-up.sh (bcrypt cost 4), or
 * the one {@code -Dkeystone.url} names (then the rule tests, which need restarts, are skipped). Runs in the Maven
 * profile {@code real-keystone}; see openstack-rotator/README.md.
 */
class RealKeystoneConformanceIT extends KeystoneConformance {

    private Keystone keystone;

    @BeforeAll
    void start() {
        ExternalKeystone external = ExternalKeystone.fromSystemProperties();
        keystone = external != null ? external : KeystoneServer.builder().start();
    }

    @Override
    Keystone keystone() {
        return keystone;
    }

    @AfterAll
    void stop() {
        if (keystone != null) {
            keystone.close();
        }
    }
}
