package io.rotor.openstack.rotation;

import static io.rotor.openstack.rotation.KeystoneFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.KeystoneOptions;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.PasswordPolicy;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.password.PasswordGenerator;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.Change;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.openstack.InMemorySecretLookup;
import io.rotor.openstack.LayoutCurrentValueReader;
import io.rotor.openstack.TestTrust;
import io.rotor.openstack.keystone.ApplicationCredentialInfo;
import io.rotor.openstack.keystone.ApplicationCredentialSecret;
import io.rotor.openstack.keystone.CreatedApplicationCredential;
import io.rotor.openstack.keystone.DomainSelector;
import io.rotor.openstack.keystone.KeystoneClient;
import io.rotor.openstack.keystone.KeystoneException;
import io.rotor.openstack.keystone.NewApplicationCredential;
import io.rotor.openstack.keystone.ProjectScope;
import io.rotor.openstack.keystone.Token;
import io.rotor.openstack.keystone.UserSelector;
import io.rotor.testkit.keystone.Keystone;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.keystone.KeystoneAdmin.TestUser;
import io.rotor.testkit.keystone.SecurityCompliance;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Keystone adapter's behaviour, asserted on the fake ({@link FakeKeystoneAdapterConformanceTest}) and on a real
 * Keystone ({@link RealKeystoneAdapterConformanceIT}): password replacement (self-service and admin), application
 * credentials, redeliveries, and Keystone's refusals as permanent failures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class KeystoneAdapterConformance {

    static final String REGEX_DESCRIPTION = "at least 12 characters with a digit and an upper-case letter";

    private static final AtomicInteger ROTATIONS = new AtomicInteger();

    private KeystoneAdmin admin;
    private KeystoneClient client;
    private InMemorySecretLookup secrets;
    private KeystoneAdapter adapter;
    private int passwords;

    abstract Keystone keystone();

    @BeforeEach
    void setUp() {
        if (adapter == null) {
            admin = KeystoneAdmin.of(keystone());
            client = KeystoneClient.builder(keystone().url().toString()).timeout(Duration.ofSeconds(30)).build();
            secrets = new InMemorySecretLookup();
            secrets.put(NAMESPACE, KeystoneFixtures.ADMIN_SECRET, Map.of("clouds.yaml", KeystoneFixtures.passwordClouds(
                    keystone(), "admin", Keystone.ADMIN_USER, keystone().adminPassword(), Keystone.ADMIN_PROJECT)));
            adapter = new KeystoneAdapter(secrets, LoginBudget.inMemory(2, Duration.ofMinutes(15), keystone().clock()),
                    new KeystoneTimers(keystone()), new KeystoneSettings(2, Duration.ofMillis(1100), 3),
                    TestTrust.allowEverything());
        }
    }

    // ---- passwords, self-service ------------------------------------------------------------------------------------

    @Test
    @Order(10)
    void replaceChangesThePasswordAndProvesItWithAFreshToken() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        Rotation r = passwordRotation(user, byName(user), null);

        Applied applied = adapter.apply(r);
        adapter.verify(r.withNewValue(applied.handOn()));

        assertThat(applied.changed()).isTrue();
        assertThat(applied.handOn().require(CredentialField.PASSWORD)).isEqualTo(r.newPassword());
        assertThat(applied.previous().require(CredentialField.PASSWORD).reveal()).isEqualTo(user.password());
        assertThat(applied.details()).containsEntry("keystoneUserId", user.id()).containsEntry("mode", "self-service");
        assertThat(logsIn(user, user.password())).as("the old password").isFalse();
        assertThat(logsIn(user, r.newPassword().reveal())).as("the new password").isTrue();
    }

    @Test
    @Order(11)
    void aUserGivenByIdOrByNameInADomainGivenByIdIsFoundToo() {
        rules(SecurityCompliance.none());
        TestUser byId = newUser();
        TestUser byDomainId = newUser();

        adapter.apply(passwordRotation(byId, new Identity(null, byId.id(), null), null));
        adapter.apply(passwordRotation(byDomainId, new Identity(byDomainId.name(), null, "default"), null));

        assertThat(logsIn(byId, byId.password())).isFalse();
        assertThat(logsIn(byDomainId, byDomainId.password())).isFalse();
    }

    @Test
    @Order(12)
    void aRedeliveredCommandChangesNothing() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        Rotation r = passwordRotation(user, byName(user), null);
        Applied first = adapter.apply(r);
        adapter.verify(r.withNewValue(first.handOn()));
        Token tokenAfterTheChange = client.login(UserSelector.byId(user.id()), r.newPassword(), null);

        // The Secret still holds the old password: the saga had not written it when the command came again.
        Applied again = adapter.apply(r);
        adapter.verify(r.withNewValue(again.handOn()));

        assertThat(again.changed()).isFalse();
        assertThat(client.isValid(tokenAfterTheChange)).as("no second change revoked the user's tokens").isTrue();
    }

    @Test
    @Order(13)
    void aWrongCurrentPasswordIsPermanentAndLeavesThePasswordAlone() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        Rotation r = passwordRotation(new TestUser(user.id(), user.name(), user.domainId(), "stale-" + user.password()),
                byName(user), null);

        PlatformException e = catchThrowableOfType(PlatformException.class, () -> adapter.apply(r));

        assertThat(e.reason()).isEqualTo(KeystoneFailure.CURRENT_PASSWORD_REFUSED);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("Not retried").doesNotContain(user.password())
                .doesNotContain(r.newPassword().reveal());
        assertThat(logsIn(user, user.password())).as("the real password still works").isTrue();
    }

    @Test
    @Order(14)
    void verifyRefusesAPasswordThatWasNeverSetForGood() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        Rotation r = passwordRotation(user, byName(user), null);

        PlatformException e = catchThrowableOfType(PlatformException.class, () -> adapter.verify(r));

        assertThat(e.reason()).isEqualTo(KeystoneFailure.NEW_VALUE_REFUSED);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).doesNotContain(r.newPassword().reveal()).doesNotContain(user.password());
    }

    @Test
    @Order(15)
    void removeNewPutsThePreviousPasswordBackAndIsUnchangedWhenThereIsNothingToUndo() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        Rotation r = passwordRotation(user, byName(user), null);
        Applied applied = adapter.apply(r);
        Rotation done = new Rotation(r.rotationId(), r.credential(), r.spec(), applied.handOn(), applied.previous());

        Change undone = adapter.removeNew(done);
        Change again = adapter.removeNew(done);

        assertThat(undone.changed()).isTrue();
        assertThat(again.changed()).isFalse();
        assertThat(logsIn(user, user.password())).isTrue();
        assertThat(logsIn(user, r.newPassword().reveal())).isFalse();
    }

    @Test
    @Order(16)
    void aDisabledUserGivenByIdFailsWithKeystonesReasonAndCostsNoCountedLogin() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        admin.setEnabled(user.id(), false);

        // Three attempts: were any counted, the budget (2) would refuse the third before Keystone is asked.
        for (int i = 0; i < 3; i++) {
            PlatformException e = catchThrowableOfType(PlatformException.class,
                    () -> adapter.apply(passwordRotation(user, new Identity(null, user.id(), null), null)));
            assertThat(e.reason()).isEqualTo(KeystoneFailure.USER_DISABLED);
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains("The account is disabled for user: " + user.id())
                    .contains("openstack user set --enable").contains("Rotor changed nothing")
                    .doesNotContain(user.password());
        }
        admin.setEnabled(user.id(), true);
        assertThat(logsIn(user, user.password())).as("the password was left alone").isTrue();
    }

    @Test
    @Order(17)
    void aDisabledUserGivenByNameIsARefusalThatNamesDisabledAsACause() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        admin.setEnabled(user.id(), false);

        // Keystone's login says no more than 401 for a disabled user, so the name cannot be resolved by logging in.
        PlatformException e = catchThrowableOfType(PlatformException.class,
                () -> adapter.apply(passwordRotation(user, byName(user), null)));

        assertThat(e.reason()).isEqualTo(KeystoneFailure.CURRENT_PASSWORD_REFUSED);
        assertThat(e.getMessage()).contains("disabled");
        admin.setEnabled(user.id(), true);
        assertThat(logsIn(user, user.password())).isTrue();
    }

    // ---- passwords, admin mode ---------------------------------------------------------------------------------------

    @Test
    @Order(20)
    void adminModeResetsAPasswordNobodyKnows() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        TestUser unknown = new TestUser(user.id(), user.name(), user.domainId(), "forgotten-" + password());
        Rotation r = passwordRotation(unknown, byName(user), KeystoneFixtures.adminMode());

        Applied applied = adapter.apply(r);
        adapter.verify(r.withNewValue(applied.handOn()));
        Applied again = adapter.apply(r);

        assertThat(applied.changed()).isTrue();
        assertThat(applied.details()).containsEntry("mode", "admin").containsEntry("keystoneUserId", user.id());
        assertThat(again.changed()).as("a redelivered command").isFalse();
        assertThat(logsIn(user, user.password())).isFalse();
        assertThat(logsIn(user, r.newPassword().reveal())).isTrue();
    }

    @Test
    @Order(21)
    void adminModeWithAnUnknownUserFailsForGood() {
        rules(SecurityCompliance.none());
        TestUser ghost = new TestUser(null, admin.uniqueName("ghost"), "default", password());
        Rotation r = passwordRotation(ghost, byName(ghost), KeystoneFixtures.adminMode());

        PlatformException e = catchThrowableOfType(PlatformException.class, () -> adapter.apply(r));

        assertThat(e.reason()).isEqualTo(KeystoneFailure.USER_NOT_FOUND);
        assertThat(e.retriable()).isFalse();
    }

    // ---- Keystone's password rules ----------------------------------------------------------------------------------

    @Test
    @Order(30)
    void passwordRegexFailsForGoodQuotingItsDescription() {
        rules(SecurityCompliance.none().withPasswordRegex("^(?=.*\\d)(?=.*[A-Z]).{12,}$", REGEX_DESCRIPTION));
        TestUser user = newUser();
        Rotation r = rotation(passwordSpec(user, byName(user), null), SecretValue.of("weak-" + passwords++));

        PlatformException e = catchThrowableOfType(PlatformException.class, () -> adapter.apply(r));

        assertThat(e.reason()).isEqualTo(KeystoneFailure.PASSWORD_REGEX);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("The password does not match the requirements: " + REGEX_DESCRIPTION)
                .doesNotContain(r.newPassword().reveal());
        assertThat(logsIn(user, user.password())).isTrue();
    }

    @Test
    @Order(31)
    void passwordHistoryFailsForGoodQuotingKeystone() {
        rules(SecurityCompliance.none().withUniqueLastPasswordCount(3));
        TestUser user = newUser();
        Applied first = adapter.apply(passwordRotation(user, byName(user), null));
        TestUser moved = new TestUser(user.id(), user.name(), user.domainId(),
                first.handOn().require(CredentialField.PASSWORD).reveal());
        Rotation back = rotation(passwordSpec(moved, byName(user), null), SecretValue.of(user.password()));

        PlatformException e = catchThrowableOfType(PlatformException.class, () -> adapter.apply(back));

        assertThat(e.reason()).isEqualTo(KeystoneFailure.PASSWORD_HISTORY);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("The new password cannot be identical to a previous password");
    }

    @Test
    @Order(32)
    void minimumPasswordAgeFailsForGoodQuotingKeystone() {
        rules(SecurityCompliance.none().withMinimumPasswordAgeDays(1));
        TestUser user = newUser();
        Applied first = adapter.apply(passwordRotation(user, byName(user), null));
        TestUser moved = new TestUser(user.id(), user.name(), user.domainId(),
                first.handOn().require(CredentialField.PASSWORD).reveal());

        PlatformException e = catchThrowableOfType(PlatformException.class,
                () -> adapter.apply(passwordRotation(moved, byName(user), null)));

        assertThat(e.reason()).isEqualTo(KeystoneFailure.PASSWORD_MINIMUM_AGE);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("minimum password age");
    }

    /** Issue 14: the rule the closest old policy met in only 7 of 10 rotations. */
    static final String LETTER_FIRST_REGEX =
            "^(?=.*\\d)(?=.*[a-z])(?=.*[A-Z])(?=.*[!@#$%^&*])[A-Za-z][A-Za-z0-9!@#$%^&*]{11,}$";
    static final String LETTER_FIRST_DESCRIPTION = "starts with a letter, only !@#$%^&* as symbols";

    @Test
    @Order(33)
    void aPolicyWithThePasswordRegexAsPatternPassesTenRotationsInARow() {
        rules(SecurityCompliance.none().withPasswordRegex(LETTER_FIRST_REGEX, LETTER_FIRST_DESCRIPTION));
        PasswordPolicy policy = new PasswordPolicy(24, 1, 1, 1, 1, "!@#$%^&*", null, null,
                PasswordPolicy.FIRST_LETTER, LETTER_FIRST_REGEX);
        PasswordGenerator.requireSatisfiable(policy, Platform.OPENSTACK_KEYSTONE);
        PasswordGenerator generator = new PasswordGenerator(new SecureRandom());
        TestUser user = admin.createUser(admin.uniqueName("regex"),
                generator.generate(policy, Platform.OPENSTACK_KEYSTONE, List.of()).reveal());

        int regexFailures = 0;
        for (int i = 0; i < 10; i++) {
            Rotation r = rotation(passwordSpec(user, byName(user), null),
                    generator.generate(policy, Platform.OPENSTACK_KEYSTONE, List.of()));
            try {
                adapter.verify(r.withNewValue(adapter.apply(r).handOn()));
                user = new TestUser(user.id(), user.name(), user.domainId(), r.newPassword().reveal());
            } catch (PlatformException e) {
                assertThat(e.reason()).as("only the regex may refuse").isEqualTo(KeystoneFailure.PASSWORD_REGEX);
                regexFailures++;
            }
        }

        assertThat(regexFailures).as("rotations refused by password_regex").isZero();
        assertThat(logsIn(user, user.password())).isTrue();
    }

    @Test
    @Order(34)
    void aStaleSecretNeverLocksTheAccount() {
        rules(SecurityCompliance.none().withLockout(3, Duration.ofSeconds(30)));
        TestUser user = newUser();
        TestUser stale = new TestUser(user.id(), user.name(), user.domainId(), "stale-" + user.password());

        PlatformException first = catchThrowableOfType(PlatformException.class,
                () -> adapter.apply(passwordRotation(stale, byName(user), null)));
        PlatformException second = catchThrowableOfType(PlatformException.class,
                () -> adapter.apply(passwordRotation(stale, byName(user), null)));

        assertThat(first.reason()).isEqualTo(KeystoneFailure.CURRENT_PASSWORD_REFUSED);
        assertThat(second.reason()).as("the budget (2) stops below lockout_failure_attempts (3)")
                .isEqualTo(KitFailure.LOGIN_BUDGET_EXHAUSTED);
        assertThat(logsIn(user, user.password())).as("not locked: the right password logs in").isTrue();
    }

    @Test
    @Order(35)
    void anExpiredPasswordOfAUserGivenByNameIsChangedWithoutACountedFailure() {
        exemptAdminFromFirstUse();
        rules(SecurityCompliance.none().withChangePasswordUponFirstUse(true));
        // Created by an administrator: its password is expired at once.
        TestUser user = newUser();
        assertThat(loginFailure(user, user.password())).isEqualTo(KeystoneException.Reason.PASSWORD_EXPIRED);

        Rotation r = passwordRotation(user, byName(user), null);
        Applied applied = adapter.apply(r);
        adapter.verify(r.withNewValue(applied.handOn()));

        assertThat(applied.changed()).isTrue();
        assertThat(applied.details()).containsEntry("keystoneUserId", user.id()).containsEntry("mode", "self-service");
        assertThat(logsIn(user, r.newPassword().reveal())).as("a password its user chose is not expired").isTrue();
    }

    @Test
    @Order(36)
    void adminModeUnderFirstUseSaysTheNewPasswordIsInPlaceButExpired() {
        exemptAdminFromFirstUse();
        rules(SecurityCompliance.none().withChangePasswordUponFirstUse(true));
        TestUser user = newUser();
        Rotation r = passwordRotation(user, byName(user), KeystoneFixtures.adminMode());

        Applied applied = adapter.apply(r);
        PlatformException e = catchThrowableOfType(PlatformException.class,
                () -> adapter.verify(r.withNewValue(applied.handOn())));

        assertThat(e.reason()).isEqualTo(KeystoneFailure.PASSWORD_EXPIRED);
        assertThat(e.getMessage()).contains("Keystone holds the new password").contains("expired it at once")
                .contains("--ignore-change-password-upon-first-use").doesNotContain(r.newPassword().reveal());
        assertThat(loginFailure(user, r.newPassword().reveal())).as("as the message says")
                .isEqualTo(KeystoneException.Reason.PASSWORD_EXPIRED);
    }

    @Test
    @Order(39)
    void defaultRulesAgain() {
        rules(SecurityCompliance.none());
    }

    // ---- application credentials -------------------------------------------------------------------------------------

    @Test
    @Order(40)
    void aNewApplicationCredentialWorksBesideTheOldOne() {
        AppCredUser owner = appCredUser(true);
        Rotation r = appCredRotation(owner, KeystoneFixtures.applicationCredentials(true, Duration.ofDays(30), null));

        Applied applied = adapter.apply(r);
        Rotation handedOn = r.withNewValue(applied.handOn());
        adapter.verify(handedOn);

        String newId = applied.handOn().require(CredentialField.APPLICATION_CREDENTIAL_ID).reveal();
        assertThat(applied.changed()).isTrue();
        assertThat(newId).isNotEqualTo(owner.current().id());
        assertThat(applied.handOn().require(CredentialField.APPLICATION_CREDENTIAL_SECRET))
                .isEqualTo(r.newValue().require(CredentialField.APPLICATION_CREDENTIAL_SECRET));
        assertThat(applied.previous().require(CredentialField.APPLICATION_CREDENTIAL_ID).reveal())
                .isEqualTo(owner.current().id());
        assertThat(applied.details()).containsEntry("applicationCredentialName", "rotor-" + r.rotationId());
        assertThat(works(owner.current().credential())).as("the old one").isTrue();
        assertThat(works(new ApplicationCredentialSecret(newId,
                r.newValue().require(CredentialField.APPLICATION_CREDENTIAL_SECRET)))).as("the new one").isTrue();
        ApplicationCredentialInfo listed = client.applicationCredentials(owner.token(), owner.user().id(),
                "rotor-" + r.rotationId()).get(0);
        assertThat(listed.unrestricted()).isTrue();
        assertThat(listed.expiresAt()).isCloseTo(keystone().clock().instant().plus(Duration.ofDays(30)),
                org.assertj.core.api.Assertions.within(5, ChronoUnit.MINUTES));
    }

    @Test
    @Order(41)
    void aRedeliveredApplicationCredentialCommandFindsItsCredentialAndChangesNothing() {
        AppCredUser owner = appCredUser(true);
        Rotation r = appCredRotation(owner, KeystoneFixtures.applicationCredentials(true, null, null));
        Applied first = adapter.apply(r);

        Applied again = adapter.apply(r);

        assertThat(again.changed()).isFalse();
        assertThat(again.handOn().require(CredentialField.APPLICATION_CREDENTIAL_ID))
                .isEqualTo(first.handOn().require(CredentialField.APPLICATION_CREDENTIAL_ID));
        assertThat(client.applicationCredentials(owner.token(), owner.user().id(), null)).hasSize(2);
    }

    @Test
    @Order(42)
    void revokeDeletesTheOldCredentialOnceAndOnlyIt() {
        AppCredUser owner = appCredUser(true);
        Rotation r = appCredRotation(owner, KeystoneFixtures.applicationCredentials(true, null, null));
        Applied applied = adapter.apply(r);
        Rotation done = new Rotation(r.rotationId(), r.credential(), r.spec(), applied.handOn(), applied.previous());

        Change revoked = adapter.revoke(done);
        Change again = adapter.revoke(done);

        assertThat(revoked.changed()).isTrue();
        assertThat(again.changed()).isFalse();
        assertThat(works(owner.current().credential())).as("the old one").isFalse();
        assertThat(works(credentialOf(applied.handOn()))).as("the new one").isTrue();
    }

    @Test
    @Order(43)
    void removeNewDeletesTheNewCredentialAndIsUnchangedWithoutOne() {
        AppCredUser owner = appCredUser(true);
        Rotation r = appCredRotation(owner, KeystoneFixtures.applicationCredentials(true, null, null));
        Change beforeApply = adapter.removeNew(r);
        Applied applied = adapter.apply(r);
        Rotation done = new Rotation(r.rotationId(), r.credential(), r.spec(), applied.handOn(), applied.previous());

        Change removed = adapter.removeNew(done);
        Change again = adapter.removeNew(done);

        assertThat(beforeApply.changed()).isFalse();
        assertThat(removed.changed()).isTrue();
        assertThat(again.changed()).isFalse();
        assertThat(works(owner.current().credential())).as("the old one").isTrue();
        assertThat(works(credentialOf(applied.handOn()))).as("the new one").isFalse();
    }

    @Test
    @Order(44)
    void anApplyGivenUpBeforeItsAnswerIsCleanedUpByName() {
        // apply created the credential, then the process died before handing it on: removeNew finds it by name.
        AppCredUser owner = appCredUser(true);
        Rotation r = appCredRotation(owner, KeystoneFixtures.applicationCredentials(true, null, null));
        adapter.apply(r);

        Change removed = adapter.removeNew(r);

        assertThat(removed.changed()).isTrue();
        assertThat(client.applicationCredentials(owner.token(), owner.user().id(), null)).hasSize(1);
    }

    @Test
    @Order(45)
    void withoutAnUnrestrictedCredentialOrAnOwnerLoginNothingIsTouched() {
        AppCredUser owner = appCredUser(false);
        Rotation notAllowed = appCredRotation(owner, KeystoneFixtures.applicationCredentials(false, null, null));
        Rotation restricted = appCredRotation(owner, KeystoneFixtures.applicationCredentials(true, null, null));

        PlatformException unmanageable = catchThrowableOfType(PlatformException.class,
                () -> adapter.apply(notAllowed));
        PlatformException forbidden = catchThrowableOfType(PlatformException.class, () -> adapter.apply(restricted));

        assertThat(unmanageable.reason()).isEqualTo(KeystoneFailure.APPLICATION_CREDENTIAL_NOT_MANAGEABLE);
        assertThat(unmanageable.getMessage()).contains("keystone.applicationCredential.unrestricted")
                .contains("keystone.adminSecretRef");
        assertThat(forbidden.reason()).isEqualTo(KeystoneFailure.FORBIDDEN);
        assertThat(List.of(unmanageable, forbidden)).allSatisfy(e -> assertThat(e.retriable()).isFalse());
        assertThat(client.applicationCredentials(owner.token(), owner.user().id(), null)).hasSize(1);
    }

    @Test
    @Order(46)
    void theOwnersLoginManagesRestrictedCredentials() {
        AppCredUser owner = appCredUser(false);
        KeystoneOptions options = KeystoneFixtures.applicationCredentialsManagedByOwner(null);
        secrets.put(NAMESPACE, KeystoneFixtures.ADMIN_SECRET, Map.of("clouds.yaml", KeystoneFixtures.passwordClouds(
                keystone(), "owner", owner.user().name(), owner.user().password(), owner.user().name())));
        try {
            Rotation r = appCredRotation(owner, options);
            Applied applied = adapter.apply(r);
            adapter.verify(r.withNewValue(applied.handOn()));
            Change revoked = adapter.revoke(new Rotation(r.rotationId(), r.credential(), r.spec(), applied.handOn(),
                    applied.previous()));

            assertThat(revoked.changed()).isTrue();
            assertThat(works(credentialOf(applied.handOn()))).isTrue();
            assertThat(works(owner.current().credential())).isFalse();
        } finally {
            secrets.put(NAMESPACE, KeystoneFixtures.ADMIN_SECRET, Map.of("clouds.yaml",
                    KeystoneFixtures.passwordClouds(keystone(), "admin", Keystone.ADMIN_USER,
                            keystone().adminPassword(), Keystone.ADMIN_PROJECT)));
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    void rules(SecurityCompliance rules) {
        if (!rules.equals(keystone().rules())) {
            Assumptions.assumeTrue(keystone().reconfigurable(), "this Keystone cannot be reconfigured");
            keystone().reconfigure(rules);
        }
    }

    TestUser newUser() {
        return admin.createUser(admin.uniqueName("adapter"), password());
    }

    String password() {
        return "Pw-" + (++passwords) + "-" + Long.toHexString(System.nanoTime()) + "-Xy9";
    }

    static Identity byName(TestUser user) {
        return new Identity(user.name(), null, "Default");
    }

    /** A rotation of {@code user}'s password, whose Secret (clouds.yaml) holds {@code user.password()}. */
    private Rotation passwordRotation(TestUser user, Identity identity, KeystoneOptions options) {
        return rotation(passwordSpec(user, identity, options), SecretValue.of(password()));
    }

    private ManagedCredentialSpec passwordSpec(TestUser user, Identity identity, KeystoneOptions options) {
        String secretName = "creds-" + user.name() + "-" + ROTATIONS.incrementAndGet();
        secrets.put(NAMESPACE, secretName, Map.of("clouds.yaml", KeystoneFixtures.passwordClouds(keystone(),
                KeystoneFixtures.CLOUD, user.name(), user.password(), null)));
        return KeystoneFixtures.spec(keystone(), Strategy.REPLACE, identity, secretName, options);
    }

    /** The rotation the runtime would hand the adapter: the old value read from the Secret. */
    private Rotation rotation(ManagedCredentialSpec spec, SecretValue newPassword) {
        CredentialRef ref = KeystoneFixtures.ref(spec.secretList().get(0).name());
        CredentialMaterial current = new LayoutCurrentValueReader(secrets).read(ref, spec);
        return new Rotation("r" + ROTATIONS.incrementAndGet(), ref, spec, CredentialMaterial.password(newPassword),
                current);
    }

    private record AppCredUser(TestUser user, Token token, CreatedApplicationCredential current) {
    }

    private AppCredUser appCredUser(boolean unrestricted) {
        TestUser user = admin.createUserWithProject("appcred", password());
        Token token = client.login(UserSelector.byId(user.id()), SecretValue.of(user.password()),
                ProjectScope.byName(user.name(), DomainSelector.DEFAULT));
        CreatedApplicationCredential current = client.createApplicationCredential(token, user.id(),
                new NewApplicationCredential("initial", null, null, List.of(), null, unrestricted));
        return new AppCredUser(user, token, current);
    }

    private Rotation appCredRotation(AppCredUser owner, KeystoneOptions options) {
        String secretName = "appcred-" + owner.user().name() + "-" + ROTATIONS.incrementAndGet();
        secrets.put(NAMESPACE, secretName, Map.of("clouds.yaml", KeystoneFixtures.applicationCredentialClouds(
                keystone(), owner.current().id(), owner.current().secret().reveal())));
        ManagedCredentialSpec spec = KeystoneFixtures.spec(keystone(), Strategy.NEW_IDENTITY,
                new Identity(null, owner.user().id(), null), secretName, options);
        CredentialRef ref = KeystoneFixtures.ref(secretName);
        CredentialMaterial current = new LayoutCurrentValueReader(secrets).read(ref, spec);
        CredentialMaterial fresh = CredentialMaterial.of(Map.of(CredentialField.APPLICATION_CREDENTIAL_SECRET,
                SecretValue.of("AppCred-" + password())));
        return new Rotation("r" + ROTATIONS.incrementAndGet(), ref, spec, fresh, current);
    }

    private static ApplicationCredentialSecret credentialOf(CredentialMaterial value) {
        return new ApplicationCredentialSecret(value.require(CredentialField.APPLICATION_CREDENTIAL_ID).reveal(),
                value.require(CredentialField.APPLICATION_CREDENTIAL_SECRET));
    }

    private boolean works(ApplicationCredentialSecret credential) {
        try {
            return client.isValid(client.login(credential));
        } catch (KeystoneException e) {
            return false;
        }
    }

    /** The reason Keystone refuses a login, or null when it succeeds. */
    private KeystoneException.Reason loginFailure(TestUser user, String password) {
        try {
            client.login(UserSelector.byId(user.id()), SecretValue.of(password), null);
            return null;
        } catch (KeystoneException e) {
            return e.reason();
        }
    }

    /** Before change_password_upon_first_use: an administrator's new password would be expired too. */
    private void exemptAdminFromFirstUse() {
        admin.exemptFromFirstUse(admin.findUserId(Keystone.ADMIN_USER).orElseThrow());
    }

    private boolean logsIn(TestUser user, String password) {
        try {
            client.login(UserSelector.byId(user.id()), SecretValue.of(password), null);
            return true;
        } catch (KeystoneException e) {
            if (e.reason() == KeystoneException.Reason.AUTHENTICATION_FAILED) {
                return false;
            }
            throw e;
        }
    }
}
