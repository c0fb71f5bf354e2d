package io.rotor.openstack.keystone;

import io.rotor.testkit.keystone.Keystone;

/**
 * The conformance suite against a real Keystone: the one this run starts with keystone-up.sh (bcrypt cost 4), or
 * the one {@code -Dkeystone.url} names (then the rule tests, which need restarts, are skipped). Runs in the Maven
 * profile {@code real-keystone}; see openstack-rotator/README.md.
 */
class RealKeystoneConformanceIT extends KeystoneConformance {

    @Override
    Keystone keystone() {
        return SharedRealKeystone.get();
    }
}
