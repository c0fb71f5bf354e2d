package io.rotor.openstack.rotation;

import io.rotor.testkit.keystone.FakeKeystone;
import io.rotor.testkit.keystone.Keystone;
import org.junit.jupiter.api.AfterAll;

class FakeKeystoneAdapterConformanceTest extends KeystoneAdapterConformance {

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
