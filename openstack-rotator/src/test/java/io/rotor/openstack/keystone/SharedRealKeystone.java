package io.rotor.openstack.keystone;

import io.rotor.testkit.keystone.ExternalKeystone;
import io.rotor.testkit.keystone.Keystone;
import io.rotor.testkit.keystone.KeystoneServer;

/**
 * One real Keystone for all the real-Keystone test classes of a run (starting one takes 15-30 s): the one
 * {@code -Dkeystone.url} names, or one started here with keystone-up.sh and stopped when the JVM exits.
 */
public final class SharedRealKeystone {

    private static Keystone instance;

    private SharedRealKeystone() {
    }

    public static synchronized Keystone get() {
        if (instance == null) {
            ExternalKeystone external = ExternalKeystone.fromSystemProperties();
            Keystone started = external != null ? external : KeystoneServer.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "close-shared-keystone"));
            instance = started;
        }
        return instance;
    }
}
