package io.rotor.testkit.keystone;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * A Keystone for tests: the real one ({@link KeystoneServer}, or one somebody else started, {@link ExternalKeystone}) or
 * the stateful fake ({@link FakeKeystone}). A conformance suite written against this interface runs the same
 * assertions on each, which is what keeps the fake honest.
 *
 * <p>Every instance has the bootstrap administrator {@value #ADMIN_USER} in domain {@value #DEFAULT_DOMAIN_ID} with
 * the role {@code admin} on project {@value #ADMIN_PROJECT}, and the roles {@code admin}, {@code member} and
 * {@code reader}.
 */
public interface Keystone extends AutoCloseable {

    String ADMIN_USER = "admin";
    String ADMIN_PROJECT = "admin";
    String DEFAULT_DOMAIN_ID = "default";
    String DEFAULT_DOMAIN_NAME = "Default";

    /** The identity API root, ending in {@code /v3}. */
    URI url();

    /** The bootstrap administrator's password (test material, not a production secret). */
    String adminPassword();

    /**
     * Applies new {@code [security_compliance]} rules. The real Keystone is restarted for it (its state survives, but
     * tokens signed before stay valid only because the fernet keys survive too).
     *
     * @throws UnsupportedOperationException for a Keystone this JVM did not start
     */
    void reconfigure(SecurityCompliance rules);

    /** The rules in force now. */
    SecurityCompliance rules();

    /** Whether {@link #reconfigure} works here. */
    boolean reconfigurable();

    /**
     * Lets {@code duration} pass as Keystone sees it: the fake moves its clock, a real Keystone is waited for. Tests
     * use it for Keystone's own time rules (a token of the same second as a password change is revoked; lockouts
     * expire), never to wait for something that can be polled.
     */
    void elapse(Duration duration);

    /**
     * Keystone's clock as this JVM can read it: the fake's own, or the system clock for a real Keystone on this
     * machine. Tests use it to line a call up with the start of a second (Keystone's token rules count whole seconds).
     */
    Clock clock();

    /** True for a real Keystone, false for the fake. */
    boolean real();

    @Override
    void close();
}
