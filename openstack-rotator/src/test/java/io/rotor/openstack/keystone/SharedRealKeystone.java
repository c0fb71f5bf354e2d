package io.rotor.openstack.keystone;

import io.rotor.testkit.keystone.ExternalKeystone;
import io.rotor.testkit.keystone.Keystone;
import io.rotor.testkit.keystone.KeystoneServer;
import org.junit.jupiter.api.Assumptions;

/**
 * One real Keystone for all the real-Keystone test classes of a run (starting one takes 15-30 s): the one
 * {@code -Dkeystone.url} names, or one started here with keystone-up.sh and stopped when the JVM exits.
 */
public final class SharedRealKeystone {

    private static Keystone instance;

    private SharedRealKeystone() {
    }

    /**
     * Skips the calling test unless the Maven profile {@code real-keystone} runs it: its failsafe execution sets
     * {@code keystone.install}. A surefire run whose {@code -Dtest} pattern names the whole package would otherwise
     * start a real Keystone (and the benchmarks would run for many minutes) in the ordinary build.
     */
    public static void assumeRealKeystoneProfile() {
        Assumptions.assumeTrue(System.getProperty("keystone.install") != null,
                "runs in the real-keystone profile only (./mvnw -pl openstack-rotator -am verify -Preal-keystone)");
    }

    public static synchronized Keystone get() {
        assumeRealKeystoneProfile();
        if (instance == null) {
            ExternalKeystone external = ExternalKeystone.fromSystemProperties();
            Keystone started = external != null ? external : KeystoneServer.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "close-shared-keystone"));
            instance = started;
        }
        return instance;
    }
}
