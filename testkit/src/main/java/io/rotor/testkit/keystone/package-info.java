/**
 * Keystone for tests: a real one and a faithful fake behind one interface, {@link io.rotor.testkit.keystone.Keystone}.
 *
 * <ul>
 *   <li>{@link io.rotor.testkit.keystone.KeystoneServer}: Debian's {@code python3-keystone} under uWSGI (one process,
 *       one thread, sqlite in WAL mode, fernet tokens, bcrypt cost 4 unless told otherwise) on 127.0.0.1 and a free
 *       port, state in a private temporary directory. Driven by this package's resources {@code keystone-up.sh} and
 *       {@code keystone-down.sh}, which people and CI can run by hand too (see their headers for the knobs). It
 *       installs the packages when they are missing and it runs as root ({@code -Dkeystone.install=never} forbids
 *       that). First start about 15 s (database creation), restart about 6 s on an idle two-core machine.
 *       {@code restart(rules, cost)} applies other {@code [security_compliance]} rules or another bcrypt cost.</li>
 *   <li>{@link io.rotor.testkit.keystone.ExternalKeystone}: one started elsewhere, from {@code -Dkeystone.url} and
 *       {@code -Dkeystone.admin-password-file}; it cannot be reconfigured.</li>
 *   <li>{@link io.rotor.testkit.keystone.FakeKeystone}: a stateful fake of what Rotor uses (password and
 *       application-credential logins, token validation with Keystone's whole-second revocation, user lookup,
 *       self-service change with password_regex, unique_last_password_count, minimum_password_age and lockout in
 *       Keystone's order, admin reset, application credentials), in-JVM, starting in milliseconds. Its clock stands
 *       still until {@code elapse} moves it ({@code realTime()} follows the system clock); {@code failNext} and
 *       {@code delayNext} inject 5xx answers and slowness; {@code tls()} serves HTTPS with a throw-away certificate;
 *       a disabled user's right password is answered "The account is disabled for user: {id}." and an expired one
 *       "The password is expired and needs to be changed for user: {id}." (both uncounted, as Keystone does);
 *       {@code change_password_upon_first_use} expires passwords an administrator sets, unless the user has
 *       {@code ignore_change_password_upon_first_use}; {@code insecureDebug(true)} makes a locked account's login
 *       say "The account is locked for user: …" (Keystone 22 itself never does: its audit wrapper in
 *       {@code notifications.py} re-raises AccountLocked as a bare 401 — kept for Keystones or proxies that pass the
 *       text on).
 *       openstack-rotator's conformance suites run the same assertions against it and a real Keystone; a behaviour
 *       added here needs a check there.</li>
 *   <li>{@link io.rotor.testkit.keystone.KeystoneAdmin}: test set-up as the bootstrap admin (users, projects,
 *       grants), against either.</li>
 * </ul>
 *
 * <pre>{@code
 * try (FakeKeystone keystone = FakeKeystone.start()) {            // or KeystoneServer.builder().start()
 *     KeystoneAdmin admin = KeystoneAdmin.of(keystone);
 *     TestUser user = admin.createUserWithProject("app", "Initial-Pw-1");
 *     keystone.reconfigure(SecurityCompliance.none().withUniqueLastPasswordCount(3));
 *     keystone.elapse(Duration.ofSeconds(1));                      // the fake moves its clock; a real one waits
 * }
 * }</pre>
 */
package io.rotor.testkit.keystone;
