package io.rotor.openstack.keystone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.openstack.keystone.KeystoneException.Reason;
import io.rotor.testkit.keystone.Keystone;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.keystone.KeystoneAdmin.TestUser;
import io.rotor.testkit.keystone.SecurityCompliance;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every Keystone behaviour the OpenStack adapters rely on, asserted through {@link KeystoneClient}. The same
 * assertions run against the stateful fake ({@link FakeKeystoneConformanceTest}, in every build) and against a real
 * Keystone ({@link RealKeystoneConformanceIT}, profile {@code real-keystone}): that is what entitles the fast tests
 * to use the fake. A behaviour the adapters start to rely on gets a test here first.
 *
 * <p>Rule tests reconfigure Keystone (a restart, for the real one); they are ordered so each rule set is applied once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class KeystoneConformance {

    static final Duration TOKEN_RULE_WAIT = Duration.ofMillis(1100);
    static final String REGEX_DESCRIPTION = "at least 12 characters with a digit and an upper-case letter";
    static final SecurityCompliance REGEX = SecurityCompliance.none()
            .withPasswordRegex("^(?=.*\\d)(?=.*[A-Z]).{12,}$", REGEX_DESCRIPTION);
    static final SecurityCompliance HISTORY = SecurityCompliance.none().withUniqueLastPasswordCount(3);
    static final SecurityCompliance MINIMUM_AGE = SecurityCompliance.none().withMinimumPasswordAgeDays(1);
    static final SecurityCompliance LOCKOUT = SecurityCompliance.none().withLockout(2, Duration.ofSeconds(2));
    static final SecurityCompliance FIRST_USE = SecurityCompliance.none().withChangePasswordUponFirstUse(true);

    private KeystoneAdmin admin;
    private KeystoneClient client;
    private int passwords;

    /** The Keystone under test, started once per class. */
    abstract Keystone keystone();

    @BeforeEach
    void connect() {
        if (client == null) {
            admin = KeystoneAdmin.of(keystone());
            client = KeystoneClient.builder(keystone().url().toString()).timeout(Duration.ofSeconds(30)).build();
        }
    }

    // ---- logins ---------------------------------------------------------------------------------------------------

    @Test
    @Order(10)
    void passwordLoginByNameAndDomainIdentifiesTheUser() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();

        Token byDomainId = client.login(UserSelector.byName(user.name(), DomainSelector.byId("default")),
                secret(user.password()), null);
        Token byDomainName = client.login(UserSelector.byName(user.name(), DomainSelector.byName("Default")),
                secret(user.password()), null);
        Token byId = client.login(UserSelector.byId(user.id()), secret(user.password()), null);

        assertThat(List.of(byDomainId, byDomainName, byId)).allSatisfy(token -> {
            assertThat(token.userId()).isEqualTo(user.id());
            assertThat(token.userName()).isEqualTo(user.name());
            assertThat(token.projectId()).isNull();
            assertThat(token.issuedAt()).isEqualTo(token.issuedAt().truncatedTo(ChronoUnit.SECONDS));
            assertThat(client.isValid(token)).isTrue();
        });
    }

    @Test
    @Order(11)
    void domainNamesAreCaseSensitive() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();

        KeystoneException e = catchThrowableOfType(KeystoneException.class, () -> client.login(
                UserSelector.byName(user.name(), DomainSelector.byName("default")), secret(user.password()), null));

        assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    }

    @Test
    @Order(12)
    void projectScopedLoginCarriesTheProject() {
        rules(SecurityCompliance.none());
        TestUser user = admin.createUserWithProject("scoped", password());

        Token token = client.login(UserSelector.byId(user.id()), secret(user.password()),
                ProjectScope.byName(user.name(), DomainSelector.byName("Default")));

        assertThat(token.projectId()).isNotNull();
        assertThat(client.isValid(token)).isTrue();
    }

    @Test
    @Order(13)
    void wrongPasswordIsAPermanentAuthenticationFailure() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();

        KeystoneException e = catchThrowableOfType(KeystoneException.class,
                () -> client.login(UserSelector.byId(user.id()), secret("not-" + user.password()), null));

        assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
        assertThat(e.retriable()).isFalse();
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).doesNotContain(user.password());
    }

    // ---- self-service password change ------------------------------------------------------------------------------

    @Test
    @Order(20)
    void changedPasswordReplacesTheOldOneAndRevokesEarlierTokens() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        Token before = client.login(UserSelector.byId(user.id()), secret(user.password()), null);
        String next = password();

        client.changePassword(user.id(), secret(user.password()), secret(next));

        assertThat(client.isValid(before)).as("a token from before the change").isFalse();
        assertThat(catchThrowableOfType(KeystoneException.class,
                () -> client.login(UserSelector.byId(user.id()), secret(user.password()), null)).reason())
                .as("the old password").isEqualTo(Reason.AUTHENTICATION_FAILED);
        keystone().elapse(TOKEN_RULE_WAIT);
        Token after = client.login(UserSelector.byId(user.id()), secret(next), null);
        assertThat(client.isValid(after)).as("a token issued a second after the change").isTrue();
    }

    @Test
    @Order(21)
    void aTokenIssuedInTheSecondOfTheChangeIsRevokedToo() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        String current = user.password();
        // Keystone's revocation covers whole seconds; bracket the change with two logins in one second to know the
        // new-password login shared the change's second. A slow machine may straddle a boundary: try again then.
        for (int attempt = 1; attempt <= 5; attempt++) {
            startOfNextSecond();
            Token bracket = client.login(UserSelector.byId(user.id()), secret(current), null);
            String next = password();
            client.changePassword(user.id(), secret(current), secret(next));
            current = next;
            Token sameSecond = client.login(UserSelector.byId(user.id()), secret(next), null);
            if (!sameSecond.issuedAt().equals(bracket.issuedAt())) {
                continue;
            }
            assertThat(client.isValid(sameSecond)).as("a token issued in the second of the change").isFalse();
            keystone().elapse(TOKEN_RULE_WAIT);
            assertThat(client.isValid(client.login(UserSelector.byId(user.id()), secret(next), null)))
                    .as("a token issued after that second").isTrue();
            return;
        }
        throw new AssertionError("could not fit two logins and a password change into one second in 5 attempts");
    }

    @Test
    @Order(22)
    void unknownUserLooksLikeAWrongPassword() {
        rules(SecurityCompliance.none());

        KeystoneException e = catchThrowableOfType(KeystoneException.class, () -> client.changePassword(
                "0123456789abcdef0123456789abcdef", secret(password()), secret(password())));

        assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    }

    @Test
    @Order(24)
    void aDisabledUserIsNamedOnlyToAPasswordChangeWithTheRightPassword() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        admin.setEnabled(user.id(), false);

        KeystoneException login = catchThrowableOfType(KeystoneException.class, () -> client.login(
                UserSelector.byName(user.name(), DomainSelector.DEFAULT), secret(user.password()), null));
        KeystoneException change = catchThrowableOfType(KeystoneException.class,
                () -> client.changePassword(user.id(), secret(user.password()), secret(password())));
        KeystoneException wrong = catchThrowableOfType(KeystoneException.class, () -> client.changePassword(
                user.id(), secret("wrong-" + user.password()), secret(password())));

        // A login checks "enabled" before the password (auth/plugins/core.py) and says no more than 401.
        assertThat(login.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
        assertThat(change.reason()).isEqualTo(Reason.USER_DISABLED);
        assertThat(change.retriable()).isFalse();
        assertThat(change.keystoneMessage()).hasValue("The account is disabled for user: " + user.id() + ".");
        assertThat(change.userIdInMessage()).hasValue(user.id());
        assertThat(wrong.reason()).as("the password is checked first").isEqualTo(Reason.AUTHENTICATION_FAILED);
        admin.setEnabled(user.id(), true);
        assertThat(client.login(UserSelector.byId(user.id()), secret(user.password()), null).userId())
                .isEqualTo(user.id());
    }

    @Test
    @Order(23)
    void keystoneEchoesPasswordsInItsSchemaErrors() throws Exception {
        // Why the client quotes only known messages: a 400 from schema validation repeats the request body.
        rules(SecurityCompliance.none());
        TestUser user = newUser();

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(keystone().url() + "/users/" + user.id() + "/password"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new ObjectMapper().writeValueAsString(
                        Map.of("user", Map.of("password", "Echoed-Secret-42")))))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Echoed-Secret-42");
    }

    // ---- administrator ---------------------------------------------------------------------------------------------

    @Test
    @Order(30)
    void administratorFindsUsersByNameInADomainGivenByIdOrName() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        Token adminToken = adminToken();

        assertThat(client.findUser(adminToken, user.name(), DomainSelector.byId("default")))
                .hasValueSatisfying(u -> assertThat(u.id()).isEqualTo(user.id()));
        assertThat(client.findUser(adminToken, user.name(), DomainSelector.byName("Default")))
                .hasValueSatisfying(u -> assertThat(u.id()).isEqualTo(user.id()));
        assertThat(client.findUser(adminToken, "nobody-" + user.name(), DomainSelector.DEFAULT)).isEmpty();
        assertThat(client.user(adminToken, user.id()).name()).isEqualTo(user.name());
    }

    @Test
    @Order(31)
    void aUserMayReadItselfButNotListUsers() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        Token own = client.login(UserSelector.byId(user.id()), secret(user.password()), null);

        assertThat(client.user(own, user.id()).name()).isEqualTo(user.name());
        assertThat(catchThrowableOfType(KeystoneException.class,
                () -> client.findUser(own, user.name(), DomainSelector.DEFAULT)).reason()).isEqualTo(Reason.FORBIDDEN);
    }

    @Test
    @Order(32)
    void administratorResetNeedsNoOriginalPasswordAndRevokesTokens() {
        rules(SecurityCompliance.none());
        TestUser user = newUser();
        Token before = client.login(UserSelector.byId(user.id()), secret(user.password()), null);
        String next = password();

        client.resetPassword(adminToken(), user.id(), secret(next));

        assertThat(client.isValid(before)).isFalse();
        assertThat(catchThrowableOfType(KeystoneException.class,
                () -> client.login(UserSelector.byId(user.id()), secret(user.password()), null)).reason())
                .isEqualTo(Reason.AUTHENTICATION_FAILED);
        keystone().elapse(TOKEN_RULE_WAIT);
        assertThat(client.isValid(client.login(UserSelector.byId(user.id()), secret(next), null))).isTrue();
    }

    // ---- application credentials ----------------------------------------------------------------------------------

    @Test
    @Order(40)
    void applicationCredentialLogsInToItsProjectAndDiesWhenDeleted() {
        rules(SecurityCompliance.none());
        TestUser user = admin.createUserWithProject("appcred", password());
        Token scoped = scopedLogin(user);
        Instant expires = keystone().clock().instant().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);

        CreatedApplicationCredential created = client.createApplicationCredential(scoped, user.id(),
                new NewApplicationCredential("rotor-r1", "made by a test", null, List.of("member"), expires, false));
        Token asCredential = client.login(created.credential());

        assertThat(created.projectId()).isEqualTo(scoped.projectId());
        assertThat(created.expiresAt()).isEqualTo(expires);
        assertThat(asCredential.userId()).isEqualTo(user.id());
        assertThat(asCredential.projectId()).isEqualTo(scoped.projectId());
        assertThat(asCredential.applicationCredentialId()).isEqualTo(created.id());
        assertThat(client.applicationCredentials(scoped, user.id(), "rotor-r1"))
                .extracting(ApplicationCredentialInfo::id).containsExactly(created.id());

        client.deleteApplicationCredential(scoped, user.id(), created.id());

        assertThat(client.isValid(asCredential)).as("a token of the deleted credential").isFalse();
        assertThat(catchThrowableOfType(KeystoneException.class, () -> client.login(created.credential())).reason())
                .as("logging in with the deleted credential").isEqualTo(Reason.NOT_FOUND);
        assertThat(catchThrowableOfType(KeystoneException.class,
                () -> client.deleteApplicationCredential(scoped, user.id(), created.id())).reason())
                .as("deleting it again").isEqualTo(Reason.NOT_FOUND);
        assertThat(client.applicationCredentials(scoped, user.id(), null)).isEmpty();
    }

    @Test
    @Order(48)
    void applicationCredentialTakesTheSecretItIsGiven() {
        rules(SecurityCompliance.none());
        TestUser user = admin.createUserWithProject("appcred", password());
        String chosen = "Chosen-Secret-" + System.nanoTime();

        CreatedApplicationCredential created = client.createApplicationCredential(scopedLogin(user), user.id(),
                new NewApplicationCredential("rotor-r1", null, secret(chosen), List.of(), null, false));

        assertThat(created.secret().reveal()).isEqualTo(chosen);
        assertThat(client.login(new ApplicationCredentialSecret(created.id(), secret(chosen))).userId())
                .isEqualTo(user.id());
    }

    @Test
    @Order(41)
    void wrongApplicationCredentialSecretIsAnAuthenticationFailure() {
        rules(SecurityCompliance.none());
        TestUser user = admin.createUserWithProject("appcred", password());
        CreatedApplicationCredential created = client.createApplicationCredential(scopedLogin(user), user.id(),
                new NewApplicationCredential("rotor-r1", null, null, List.of(), null, false));

        KeystoneException e = catchThrowableOfType(KeystoneException.class,
                () -> client.login(new ApplicationCredentialSecret(created.id(), secret("wrong-secret"))));

        assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    }

    @Test
    @Order(42)
    void restrictedApplicationCredentialCannotCreateOrDeleteAnyIncludingItself() {
        rules(SecurityCompliance.none());
        TestUser user = admin.createUserWithProject("appcred", password());
        CreatedApplicationCredential restricted = client.createApplicationCredential(scopedLogin(user), user.id(),
                new NewApplicationCredential("rotor-r1", null, null, List.of(), null, false));
        Token asRestricted = client.login(restricted.credential());

        KeystoneException create = catchThrowableOfType(KeystoneException.class, () -> client
                .createApplicationCredential(asRestricted, user.id(),
                        new NewApplicationCredential("rotor-r2", null, null, List.of(), null, false)));
        KeystoneException delete = catchThrowableOfType(KeystoneException.class,
                () -> client.deleteApplicationCredential(asRestricted, user.id(), restricted.id()));

        assertThat(List.of(create, delete)).allSatisfy(e -> {
            assertThat(e.reason()).isEqualTo(Reason.FORBIDDEN);
            assertThat(e.keystoneMessage()).hasValueSatisfying(m -> assertThat(m).contains("application_credential"));
        });
        assertThat(client.applicationCredentials(asRestricted, user.id(), null)).hasSize(1);
    }

    @Test
    @Order(43)
    void unrestrictedApplicationCredentialReplacesItselfWithoutAPassword() {
        rules(SecurityCompliance.none());
        TestUser user = admin.createUserWithProject("appcred", password());
        CreatedApplicationCredential first = client.createApplicationCredential(scopedLogin(user), user.id(),
                new NewApplicationCredential("rotor-r1", null, null, List.of(), null, true));

        Token asFirst = client.login(first.credential());
        CreatedApplicationCredential second = client.createApplicationCredential(asFirst, user.id(),
                new NewApplicationCredential("rotor-r2", null, null, List.of(), null, true));
        Token asSecond = client.login(second.credential());
        client.deleteApplicationCredential(asSecond, user.id(), first.id());

        assertThat(second.projectId()).isEqualTo(first.projectId());
        assertThat(client.applicationCredentials(asSecond, user.id(), null)).extracting(ApplicationCredentialInfo::id)
                .containsExactly(second.id());
        assertThat(client.applicationCredentials(asSecond, user.id(), null).get(0).unrestricted()).isTrue();
    }

    @Test
    @Order(44)
    void applicationCredentialNamesAreUniquePerUser() {
        rules(SecurityCompliance.none());
        TestUser user = admin.createUserWithProject("appcred", password());
        Token scoped = scopedLogin(user);
        client.createApplicationCredential(scoped, user.id(),
                new NewApplicationCredential("rotor-r1", null, null, List.of(), null, false));

        KeystoneException e = catchThrowableOfType(KeystoneException.class, () -> client.createApplicationCredential(
                scoped, user.id(), new NewApplicationCredential("rotor-r1", null, null, List.of(), null, false)));

        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(e.keystoneMessage()).hasValueSatisfying(m -> assertThat(m).contains("rotor-r1"));
    }

    @Test
    @Order(45)
    void applicationCredentialCannotHoldARoleItsUserLacks() {
        rules(SecurityCompliance.none());
        TestUser user = admin.createUserWithProject("appcred", password());

        KeystoneException e = catchThrowableOfType(KeystoneException.class, () -> client.createApplicationCredential(
                scopedLogin(user), user.id(), new NewApplicationCredential("rotor-r1", null, null, List.of("admin"), null,
                        false)));

        assertThat(e.reason()).isEqualTo(Reason.BAD_REQUEST);
        assertThat(e.keystoneMessage()).hasValueSatisfying(m -> assertThat(m).contains("unassigned role"));
    }

    @Test
    @Order(46)
    void administratorCannotCreateApplicationCredentialsForOthers() {
        rules(SecurityCompliance.none());
        TestUser user = admin.createUserWithProject("appcred", password());

        KeystoneException e = catchThrowableOfType(KeystoneException.class, () -> client.createApplicationCredential(
                adminToken(), user.id(), new NewApplicationCredential("rotor-r1", null, null, List.of(), null, false)));

        assertThat(e.reason()).isEqualTo(Reason.FORBIDDEN);
    }

    @Test
    @Order(47)
    void applicationCredentialOutlivesAPasswordChange() {
        rules(SecurityCompliance.none());
        TestUser user = admin.createUserWithProject("appcred", password());
        CreatedApplicationCredential created = client.createApplicationCredential(scopedLogin(user), user.id(),
                new NewApplicationCredential("rotor-r1", null, null, List.of(), null, false));

        client.changePassword(user.id(), secret(user.password()), secret(password()));
        keystone().elapse(TOKEN_RULE_WAIT);

        assertThat(client.isValid(client.login(created.credential()))).isTrue();
    }

    // ---- password rules (each a reconfiguration) --------------------------------------------------------------------

    @Test
    @Order(60)
    void passwordRegexIsPermanentAndQuotesItsDescription() {
        rules(REGEX);
        TestUser user = newUser();
        String weak = "weak-" + System.nanoTime();

        KeystoneException change = catchThrowableOfType(KeystoneException.class,
                () -> client.changePassword(user.id(), secret(user.password()), secret(weak)));
        KeystoneException reset = catchThrowableOfType(KeystoneException.class,
                () -> client.resetPassword(adminToken(), user.id(), secret(weak)));

        assertThat(List.of(change, reset)).allSatisfy(e -> {
            assertThat(e.reason()).isEqualTo(Reason.PASSWORD_REGEX);
            assertThat(e.retriable()).isFalse();
            assertThat(e.keystoneMessage())
                    .hasValue("The password does not match the requirements: " + REGEX_DESCRIPTION + ".");
            assertThat(e.getMessage()).contains(REGEX_DESCRIPTION).doesNotContain(weak)
                    .doesNotContain(user.password());
        });
        assertThat(client.login(UserSelector.byId(user.id()), secret(user.password()), null).userId())
                .as("the old password still works").isEqualTo(user.id());
        client.changePassword(user.id(), secret(user.password()), secret(password()));
    }

    @Test
    @Order(61)
    void passwordHistoryIsPermanentAndQuotesKeystone() {
        rules(HISTORY);
        TestUser user = newUser();
        String second = password();
        client.changePassword(user.id(), secret(user.password()), secret(second));

        KeystoneException e = catchThrowableOfType(KeystoneException.class,
                () -> client.changePassword(user.id(), secret(second), secret(user.password())));

        assertThat(e.reason()).isEqualTo(Reason.PASSWORD_HISTORY);
        assertThat(e.retriable()).isFalse();
        assertThat(e.keystoneMessage()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("The new password cannot be identical to a previous password.").contains("is 3."));
        assertThat(e.getMessage()).doesNotContain(second).doesNotContain(user.password());
        assertThat(catchThrowableOfType(KeystoneException.class,
                () -> client.changePassword(user.id(), secret(second), secret(second))).reason())
                .as("the current password counts too").isEqualTo(Reason.PASSWORD_HISTORY);
    }

    @Test
    @Order(62)
    void minimumPasswordAgeIsPermanentButAnAdministratorMayReset() {
        rules(MINIMUM_AGE);
        TestUser user = newUser();
        String second = password();
        // A password an administrator set may be changed at once; one the user chose must age first.
        client.changePassword(user.id(), secret(user.password()), secret(second));

        KeystoneException e = catchThrowableOfType(KeystoneException.class,
                () -> client.changePassword(user.id(), secret(second), secret(password())));

        assertThat(e.reason()).isEqualTo(Reason.PASSWORD_MINIMUM_AGE);
        assertThat(e.retriable()).isFalse();
        assertThat(e.keystoneMessage()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("You cannot change your password at this time due to the minimum password age.")
                .contains("1 day(s)"));
        client.resetPassword(adminToken(), user.id(), secret(password()));
    }

    @Test
    @Order(63)
    void wrongOriginalPasswordCountsTowardsTheLockout() {
        rules(LOCKOUT);
        TestUser user = newUser();

        for (int i = 0; i < 2; i++) {
            KeystoneException e = catchThrowableOfType(KeystoneException.class, () -> client.changePassword(user.id(),
                    secret("wrong-" + user.password()), secret(password())));
            assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
            assertThat(e.retriable()).isFalse();
        }

        assertThatThrownBy(() -> client.login(UserSelector.byId(user.id()), secret(user.password()), null))
                .as("the right password, while locked out").isInstanceOfSatisfying(KeystoneException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED));
        keystone().elapse(LOCKOUT.lockoutDuration().plusMillis(500));
        assertThat(client.login(UserSelector.byId(user.id()), secret(user.password()), null).userId())
                .as("after lockout_duration").isEqualTo(user.id());
    }

    @Test
    @Order(64)
    void anExpiredPasswordKeepsKeystonesReasonAndItsUserMayStillChangeIt() {
        admin.exemptFromFirstUse(admin.findUserId(Keystone.ADMIN_USER).orElseThrow());
        rules(FIRST_USE);
        TestUser user = newUser();

        KeystoneException e = catchThrowableOfType(KeystoneException.class, () -> client.login(
                UserSelector.byName(user.name(), DomainSelector.DEFAULT), secret(user.password()), null));

        assertThat(e.reason()).isEqualTo(Reason.PASSWORD_EXPIRED);
        assertThat(e.retriable()).isFalse();
        assertThat(e.keystoneMessage())
                .hasValue("The password is expired and needs to be changed for user: " + user.id() + ".");
        assertThat(e.userIdInMessage()).as("the id of a user given by name").hasValue(user.id());
        String chosen = password();
        client.changePassword(user.id(), secret(user.password()), secret(chosen));
        assertThat(client.login(UserSelector.byId(user.id()), secret(chosen), null).userId())
                .as("a password its user chose is not expired").isEqualTo(user.id());
    }

    @Test
    @Order(65)
    void anAdministratorsResetIsExpiredAtOnceUnderFirstUse() {
        rules(FIRST_USE);
        TestUser user = newUser();
        String reset = password();
        client.changePassword(user.id(), secret(user.password()), secret(password()));

        client.resetPassword(adminToken(), user.id(), secret(reset));

        assertThat(catchThrowableOfType(KeystoneException.class, () -> client.login(UserSelector.byId(user.id()),
                secret(reset), null)).reason()).isEqualTo(Reason.PASSWORD_EXPIRED);
    }

    @Test
    @Order(99)
    void restoresDefaultRules() {
        rules(SecurityCompliance.none());
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** Applies rules when they differ from the current ones (a restart for a real Keystone). */
    void rules(SecurityCompliance rules) {
        if (!rules.equals(keystone().rules())) {
            org.junit.jupiter.api.Assumptions.assumeTrue(keystone().reconfigurable(),
                    "this Keystone cannot be reconfigured");
            keystone().reconfigure(rules);
        }
    }

    KeystoneClient client() {
        return client;
    }

    TestUser newUser() {
        return admin.createUser(admin.uniqueName("conformance"), password());
    }

    /** Unique, and accepted by every rule set above. */
    String password() {
        return "Pw-" + (++passwords) + "-" + Long.toHexString(System.nanoTime()) + "-Xy9";
    }

    Token adminToken() {
        return client.login(UserSelector.byName(Keystone.ADMIN_USER, DomainSelector.DEFAULT),
                secret(keystone().adminPassword()),
                ProjectScope.byName(Keystone.ADMIN_PROJECT, DomainSelector.DEFAULT));
    }

    private Token scopedLogin(TestUser user) {
        return client.login(UserSelector.byId(user.id()), secret(user.password()),
                ProjectScope.byName(user.name(), DomainSelector.DEFAULT));
    }

    private void startOfNextSecond() {
        Instant now = keystone().clock().instant();
        Instant next = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).plusMillis(20);
        keystone().elapse(Duration.between(now, next));
    }

    static SecretValue secret(String plain) {
        return SecretValue.of(plain);
    }
}
