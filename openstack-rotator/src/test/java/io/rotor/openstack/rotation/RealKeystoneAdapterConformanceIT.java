package io.rotor.openstack.rotation;

import io.rotor.openstack.keystone.SharedRealKeystone;
import io.rotor.testkit.keystone.Keystone;

/** The adapter's behaviour against a real Keystone (profile real-keystone). */
class RealKeystoneAdapterConformanceIT extends KeystoneAdapterConformance {

    @Override
    Keystone keystone() {
        return SharedRealKeystone.get();
    }
}
