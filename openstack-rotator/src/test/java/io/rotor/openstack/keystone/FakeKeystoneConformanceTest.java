package io.rotor.openstack.keystone;

import io.rotor.testkit.keystone.FakeKeystone;
import io.rotor.testkit.keystone.Keystone;
import org.junit.jupiter.api.AfterAll;

/** The conformance suite against the stateful fake: runs in every build, in well under a second. */
class FakeKeystoneConformanceTest extends KeystoneConformance {

    private final FakeKeystone keystone = FakeKeystone.start();

    @Override
    Keystone keystone() {
        return keystone;
    }

    @AfterAll
    void stop() {
        keystone.close();
    }
}
