package io.rotor.redis.enterprise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.SecretKeyRef;
import io.rotor.contracts.credential.Strategy;
import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.kit.timer.ManualTimers;
import io.rotor.redis.InMemorySecretLookup;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.rec.RedisEnterpriseClusters;
import io.rotor.testkit.rec.RedisEnterpriseFake;
import io.rotor.testkit.rec.TestCertificateAuthority;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Redis Enterprise adapter against the fake: error codes, TLS, the login budget, both strategies. */
class RedisEnterpriseAdapterTest {

    private static final String ADMIN = "admin@example.com";

    private final ManualTimers timers = new ManualTimers(Instant.parse("2026-03-01T02:00:00Z"));
    private final RedisEnterpriseFake rec = RedisEnterpriseFake.builder().clock(timers.clock())
            .user(ADMIN, "admin", "Old-pw-1!").user("viewer@example.com", "db_viewer", "View-pw-1!").start();
    private final InMemorySecretLookup secrets = RecFixtures.secretsTrusting(rec);
    private final LoginBudget budget = LoginBudget.inMemory(2, Duration.ofMinutes(15), timers.clock());
    private final RecFixtures.InMemoryClusters clusters = new RecFixtures.InMemoryClusters();
    private final RedisEnterpriseAdapter adapter = new RedisEnterpriseAdapter(secrets, budget, clusters);

    @AfterEach
    void stop() {
        rec.close();
    }

    private Rotation dual(String oldPassword, String newPassword) {
        return RecFixtures.rotation("rot-1", RecFixtures.spec(rec, ADMIN, Strategy.DUAL_PASSWORD, null), oldPassword,
                newPassword);
    }

    @Test
    void dualPasswordAddsVerifiesAndLaterRemovesTheOldPassword() {
        Rotation r = dual("Old-pw-1!", "New-pw-2!");

        Applied applied = adapter.apply(r);
        adapter.verify(r);
        assertThat(rec.accepts(ADMIN, "Old-pw-1!")).isTrue();
        assertThat(rec.accepts(ADMIN, "New-pw-2!")).isTrue();
        assertThat(applied.handOn().fields()).containsOnlyKeys(CredentialField.PASSWORD);

        adapter.revoke(RecFixtures.after(r, applied));
        assertThat(rec.accepts(ADMIN, "Old-pw-1!")).isFalse();
        assertThat(rec.accepts(ADMIN, "New-pw-2!")).isTrue();
        assertThat(rec.failedLoginsTotal(ADMIN)).isZero();
    }

    @Test
    void aClusterThatRequiresTheCurrentPasswordAsOldPasswordLike74IsRotatedAndRolledBack() {
        rec.requiresOldPassword(true);
        Rotation r = dual("Old-pw-1!", "New-pw-2!");

        Applied applied = adapter.apply(r);
        adapter.verify(r);
        assertThat(rec.accepts(ADMIN, "New-pw-2!")).isTrue();
        assertThat(adapter.apply(r).changed()).isFalse();
        adapter.removeNew(RecFixtures.after(r, applied));
        assertThat(rec.accepts(ADMIN, "New-pw-2!")).isFalse();

        Applied again = adapter.apply(r);
        adapter.revoke(RecFixtures.after(r, again));
        assertThat(rec.accepts(ADMIN, "Old-pw-1!")).isFalse();
        assertThat(rec.accepts(ADMIN, "New-pw-2!")).isTrue();
    }

    @Test
    void aBuildThatIgnoresTheUsernameOnPostStillRotatesTheRightUser() {
        rec.ignoresUsernameOnPost(true);

        adapter.apply(dual("Old-pw-1!", "New-pw-2!"));

        assertThat(rec.accepts(ADMIN, "New-pw-2!")).isTrue();
        assertThat(rec.accepts("viewer@example.com", "New-pw-2!")).isFalse();
    }

    @Test
    void aWrongCurrentPasswordStopsAfterOneFailedLoginAndTheBudgetKeepsTheAccountFromLocking() {
        Rotation stale = dual("Stale-pw-0!", "New-pw-2!");

        assertThatThrownBy(() -> adapter.apply(stale)).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.reason()).isEqualTo(RecFailure.CURRENT_PASSWORD_REJECTED);
            assertThat(e.retriable()).isFalse();
        }).hasMessageContaining("Secret").hasMessageNotContaining("Stale-pw-0!");
        assertThat(rec.failedLogins(ADMIN)).isEqualTo(1);

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> adapter.apply(stale)).isInstanceOf(PlatformException.class);
        }

        assertThat(rec.failedLogins(ADMIN)).isEqualTo(2);
        assertThat(rec.locked(ADMIN)).isFalse();
        assertThat(rec.lockouts()).isZero();
        assertThatThrownBy(() -> adapter.apply(stale)).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.reason()).isEqualTo(KitFailure.LOGIN_BUDGET_EXHAUSTED))
                .hasMessageContaining("2026-03-01T02:15:00Z");
        timers.advance(Duration.ofMinutes(15));
        assertThat(rec.accepts(ADMIN, "Old-pw-1!")).isTrue();
        adapter.apply(dual("Old-pw-1!", "New-pw-2!"));
    }

    @Test
    void aPasswordTheClusterFindsTooSimpleIsAPermanentFailureThatSaysWhatToChange() {
        rec.passwordComplexity(true);

        assertThatThrownBy(() -> adapter.apply(dual("Old-pw-1!", "simple"))).isInstanceOfSatisfying(
                PlatformException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RecFailure.PASSWORD_NOT_COMPLEX);
                    assertThat(e.retriable()).isFalse();
                }).hasMessageContaining("passwordPolicy")
                .hasMessageContaining("password_not_complex: the password does not meet the complexity requirements")
                .hasMessageNotContaining("Old-pw-1!");
    }

    @Test
    void aNewIdentityByAUserWhoIsNoAdminIsUnauthorized() {
        clusters.setUsername(RecFixtures.NAMESPACE, "rec", "viewer@example.com");
        Rotation r = RecFixtures.rotation("rot-2", RecFixtures.spec(rec, "viewer@example.com", Strategy.NEW_IDENTITY,
                "rec"), "View-pw-1!", "New-pw-2!");

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.reason()).isEqualTo(RecFailure.UNAUTHORIZED_ACTION))
                .hasMessageContaining("admin role");
    }

    @Test
    void rollingBackWhenTheOldPasswordIsGoneWouldLockTheUserOutAndIsRefused() {
        Rotation r = dual("Old-pw-1!", "New-pw-2!");
        Applied applied = adapter.apply(r);
        adapter.revoke(RecFixtures.after(r, applied));

        assertThatThrownBy(() -> adapter.removeNew(RecFixtures.after(r, applied)))
                .isInstanceOf(PlatformException.class);
        assertThat(rec.accepts(ADMIN, "New-pw-2!")).isTrue();
    }

    @Test
    void anOverloadedClusterIsRetriable() {
        rec.failNext(1, 503);

        assertThatThrownBy(() -> adapter.apply(dual("Old-pw-1!", "New-pw-2!"))).isInstanceOfSatisfying(
                PlatformException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RecFailure.REC_UNAVAILABLE);
                    assertThat(e.retriable()).isTrue();
                });
        assertThat(adapter.apply(dual("Old-pw-1!", "New-pw-2!")).changed()).isTrue();
    }

    @Test
    void aClusterThatDoesNotAnswerIsRetriable() {
        rec.close();

        assertThatThrownBy(() -> adapter.apply(dual("Old-pw-1!", "New-pw-2!"))).isInstanceOfSatisfying(
                PlatformException.class, e -> assertThat(e.reason()).isEqualTo(RecFailure.REC_UNAVAILABLE));
    }

    @Test
    void aCertificateFromAnotherAuthorityIsNotTrusted() {
        secrets.putBytes(RecFixtures.NAMESPACE, RecFixtures.CA_SECRET, "ca.crt",
                TestCertificateAuthority.create("someone else").certificatePemBytes());

        assertThatThrownBy(() -> adapter.apply(dual("Old-pw-1!", "New-pw-2!"))).isInstanceOfSatisfying(
                PlatformException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RecFailure.TLS_UNTRUSTED);
                    assertThat(e.retriable()).isFalse();
                }).hasMessageContaining("redis/rec-ca");
        assertThat(rec.accepts(ADMIN, "New-pw-2!")).isFalse();
    }

    @Test
    void withoutACaBundleTheJvmTrustStoreDecidesAndRefusesTheTestCa() {
        Rotation r = RecFixtures.rotation("rot-3", RecFixtures.spec(rec.url(), null, null, ADMIN,
                Strategy.DUAL_PASSWORD, null), "Old-pw-1!", "New-pw-2!");

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.reason()).isEqualTo(RecFailure.TLS_UNTRUSTED)).hasMessageContaining("JVM");
    }

    @Test
    void verificationIsOffOnlyWithTheCredentialsExplicitFlag() {
        Rotation r = RecFixtures.rotation("rot-4", RecFixtures.spec(rec.url().replace("localhost", "127.0.0.1"),
                null, true, ADMIN, Strategy.DUAL_PASSWORD, null), "Old-pw-1!", "New-pw-2!");

        assertThat(adapter.apply(r).changed()).isTrue();
    }

    @Test
    void aMissingCaSecretIsNamed() {
        Rotation r = RecFixtures.rotation("rot-5", RecFixtures.spec(rec.url(), new SecretKeyRef("nope", "ca.crt"),
                null, ADMIN, Strategy.DUAL_PASSWORD, null), "Old-pw-1!", "New-pw-2!");

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.reason()).isEqualTo(KitFailure.SECRET_NOT_FOUND)).hasMessageContaining("redis/nope");
    }

    @Test
    void newIdentityCreatesAnAdminPointsTheClusterResourceAtItAndLaterDeletesTheOldOne() {
        try (KubernetesSandbox k8s = KubernetesSandbox.builder().namespace(RecFixtures.NAMESPACE).withoutController()
                .withCustomResource(RedisEnterpriseClusters.context()).start()) {
            RedisEnterpriseClusters.create(k8s.client(), RecFixtures.NAMESPACE, "rec", ADMIN);
            RedisEnterpriseAdapter withKubernetes = new RedisEnterpriseAdapter(secrets, budget,
                    new KubernetesClusterResource(k8s.client()));
            Rotation r = RecFixtures.rotation("5f0c2a9e-7d1b-4c3a-9e8f-0a1b2c3d4e5f",
                    RecFixtures.spec(rec, ADMIN, Strategy.NEW_IDENTITY, "rec"), "Old-pw-1!", "New-pw-2!");

            Applied applied = withKubernetes.apply(r);
            String newAdmin = "admin+rotor-5f0c2a9e7d1b@example.com";
            assertThat(applied.handOn().require(CredentialField.USERNAME).reveal()).isEqualTo(newAdmin);
            assertThat(applied.previous().require(CredentialField.USERNAME).reveal()).isEqualTo(ADMIN);
            assertThat(rec.accepts(newAdmin, "New-pw-2!")).isTrue();
            assertThat(RedisEnterpriseClusters.username(k8s.client(), RecFixtures.NAMESPACE, "rec")).contains(newAdmin);
            withKubernetes.verify(RecFixtures.after(r, applied));
            assertThat(withKubernetes.apply(r).changed()).isFalse();

            withKubernetes.revoke(RecFixtures.after(r, applied));
            assertThat(rec.userExists(ADMIN)).isFalse();
            assertThat(rec.userExists(newAdmin)).isTrue();
        }
    }

    @Test
    void newIdentityRollbackDeletesTheNewAdminAndPointsTheClusterBack() {
        try (KubernetesSandbox k8s = KubernetesSandbox.builder().namespace(RecFixtures.NAMESPACE).withoutController()
                .withCustomResource(RedisEnterpriseClusters.context()).start()) {
            RedisEnterpriseClusters.create(k8s.client(), RecFixtures.NAMESPACE, "rec", ADMIN);
            RedisEnterpriseAdapter withKubernetes = new RedisEnterpriseAdapter(secrets, budget,
                    new KubernetesClusterResource(k8s.client()));
            Rotation r = RecFixtures.rotation("rot-6", RecFixtures.spec(rec, ADMIN, Strategy.NEW_IDENTITY, "rec"),
                    "Old-pw-1!", "New-pw-2!");
            Applied applied = withKubernetes.apply(r);

            assertThat(withKubernetes.removeNew(RecFixtures.after(r, applied)).changed()).isTrue();

            assertThat(rec.userExists("admin+rotor-rot6@example.com")).isFalse();
            assertThat(RedisEnterpriseClusters.username(k8s.client(), RecFixtures.NAMESPACE, "rec")).contains(ADMIN);
            assertThat(rec.accepts(ADMIN, "Old-pw-1!")).isTrue();
        }
    }

    @Test
    void theOldAdminIsNotDeletedWhileTheClusterResourceStillNamesIt() {
        clusters.setUsername(RecFixtures.NAMESPACE, "rec", ADMIN);
        Rotation r = RecFixtures.rotation("rot-7", RecFixtures.spec(rec, ADMIN, Strategy.NEW_IDENTITY, "rec"),
                "Old-pw-1!", "New-pw-2!");
        Applied applied = adapter.apply(r);
        clusters.setUsername(RecFixtures.NAMESPACE, "rec", ADMIN);

        assertThatThrownBy(() -> adapter.revoke(RecFixtures.after(r, applied)))
                .isInstanceOfSatisfying(PlatformException.class,
                        e -> assertThat(e.reason()).isEqualTo(RecFailure.CLUSTER_RESOURCE))
                .hasMessageContaining("refusing to delete the old admin");
        assertThat(rec.userExists(ADMIN)).isTrue();
    }

    @Test
    void newAdminNamesReplaceAnEarlierRotationsTag() {
        assertThat(AdminNames.next("admin@example.com", "AB-12-cd")).isEqualTo("admin+rotor-ab12cd@example.com");
        assertThat(AdminNames.next("admin+rotor-ab12cd@example.com", "99ff")).isEqualTo("admin+rotor-99ff@example.com");
        assertThat(AdminNames.next("ops", "r1")).isEqualTo("ops+rotor-r1");
    }
}
