package io.rotor.openstack.rotation;

import static io.rotor.openstack.rotation.KeystoneFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.FailureCode;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.BudgetRule;
import io.rotor.kit.retry.LeaseBudgetStore;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.openstack.InMemorySecretLookup;
import io.rotor.openstack.LayoutCurrentValueReader;
import io.rotor.openstack.TestTrust;
import io.rotor.openstack.keystone.KeystoneClient;
import io.rotor.openstack.keystone.KeystoneException;
import io.rotor.openstack.keystone.UserSelector;
import io.rotor.testkit.keystone.FakeKeystone;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.keystone.KeystoneAdmin.TestUser;
import io.rotor.testkit.keystone.SecurityCompliance;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keystone with {@code lockout_failure_attempts = 3}, whose failure counter has no window, against the durable budget
 * in a Kubernetes API: a restarted rotator (a new adapter and budget on the same Leases) must not lock the user.
 */
class KeystoneLockoutMockTest {

    private static KubernetesSandbox sandbox;

    private final FakeKeystone keystone = FakeKeystone.start();
    private final KeystoneAdmin admin = KeystoneAdmin.of(keystone);
    private final InMemorySecretLookup secrets = new InMemorySecretLookup();

    @BeforeAll
    static void startApi() {
        sandbox = KubernetesSandbox.builder().withoutController().start();
    }

    @AfterAll
    static void stopApi() {
        sandbox.close();
    }

    @AfterEach
    void stop() {
        keystone.close();
    }

    /** A rotator process as it starts, configured as openstack-rotator is: 2, reset only by a success. */
    private KeystoneAdapter startRotator() {
        LoginBudget budget = new LoginBudget(new LeaseBudgetStore(sandbox.newClient(), "rotor"),
                BudgetRule.untilSuccess(2), keystone.clock());
        return new KeystoneAdapter(secrets, budget, new KeystoneTimers(keystone),
                new KeystoneSettings(2, Duration.ofMillis(1100), 3), TestTrust.allowEverything());
    }

    private Rotation selfService(TestUser user, String current, String next) {
        String secretName = "creds-" + user.name();
        secrets.put(NAMESPACE, secretName, Map.of("clouds.yaml", KeystoneFixtures.passwordClouds(keystone,
                KeystoneFixtures.CLOUD, user.name(), current, null)));
        ManagedCredentialSpec spec = KeystoneFixtures.spec(keystone, Strategy.REPLACE,
                new Identity(null, user.id(), null), secretName, null);
        CredentialRef ref = KeystoneFixtures.ref(secretName);
        return new Rotation("r-" + next, ref, spec, CredentialMaterial.password(SecretValue.of(next)),
                new LayoutCurrentValueReader(secrets).read(ref, spec));
    }

    @Test
    void restartsAMinuteApartNeverLockAKeystoneThatLocksAtThree() {
        keystone.reconfigure(SecurityCompliance.none().withLockout(3, Duration.ofMinutes(30)));
        TestUser user = admin.createUser(admin.uniqueName("restarts"), "Pw-Current-123");
        List<FailureCode> outcomes = new ArrayList<>();
        for (int restart = 0; restart < 5; restart++) {
            KeystoneAdapter rotator = startRotator();
            Rotation r = selfService(user, "Pw-Stale-456", "Pw-New-" + restart + "00");
            outcomes.add(catchThrowableOfType(PlatformException.class, () -> rotator.apply(r)).reason());
            keystone.elapse(Duration.ofMinutes(1));
        }

        assertThat(outcomes).containsExactly(KeystoneFailure.CURRENT_PASSWORD_REFUSED,
                KitFailure.LOGIN_BUDGET_EXHAUSTED, KitFailure.LOGIN_BUDGET_EXHAUSTED, KitFailure.LOGIN_BUDGET_EXHAUSTED,
                KitFailure.LOGIN_BUDGET_EXHAUSTED);
        assertThat(keystone.failedLoginCount(user.id())).isEqualTo(2);
        keystone.elapse(Duration.ofDays(1));
        PlatformException stillSpent = catchThrowableOfType(PlatformException.class,
                () -> startRotator().apply(selfService(user, "Pw-Stale-456", "Pw-New-999")));
        assertThat(stillSpent.reason()).as("Keystone's counter has no window: neither has the budget")
                .isEqualTo(KitFailure.LOGIN_BUDGET_EXHAUSTED);
        assertThat(stillSpent.getMessage()).contains("deleted Lease rotor/rotor-login-budget-");
    }

    @Test
    void aSuccessfulChangeResetsTheBudgetAnUnknownOutcomeBefore() {
        TestUser user = admin.createUser(admin.uniqueName("reset"), "Pw-Current-123");
        keystone.failNext("POST", "/v3/users/[^/]+/password", 503, 1);
        PlatformException unknown = catchThrowableOfType(PlatformException.class,
                () -> startRotator().apply(selfService(user, "Pw-Current-123", "Pw-New-100")));
        assertThat(unknown.reason()).isEqualTo(KeystoneFailure.UNAVAILABLE);

        startRotator().apply(selfService(user, "Pw-Current-123", "Pw-New-100"));

        // Counted from zero again: the refused change and the look whether the new one is in place both fit.
        catchThrowableOfType(PlatformException.class,
                () -> startRotator().apply(selfService(user, "Pw-Stale-456", "Pw-New-300")));
        assertThat(keystone.failedLoginCount(user.id())).isEqualTo(2);
    }

    @Test
    void aSpentBudgetIsResetByDeletingItsLeaseAsTheMessageSays() {
        TestUser user = admin.createUser(admin.uniqueName("spent"), "Pw-Current-123");
        catchThrowableOfType(PlatformException.class,
                () -> startRotator().apply(selfService(user, "Pw-Stale-456", "Pw-New-100")));
        PlatformException spent = catchThrowableOfType(PlatformException.class,
                () -> startRotator().apply(selfService(user, "Pw-Current-123", "Pw-New-200")));
        assertThat(spent.reason()).isEqualTo(KitFailure.LOGIN_BUDGET_EXHAUSTED);
        String lease = spent.getMessage().replaceAll("(?s).*deleted Lease rotor/(rotor-login-budget-[0-9a-f]+).*",
                "$1");

        sandbox.client().leases().inNamespace("rotor").withName(lease).delete();

        assertThat(startRotator().apply(selfService(user, "Pw-Current-123", "Pw-New-200")).changed()).isTrue();
    }

    @Test
    void aLockedUserIsReportedAsAccountLockedWhenKeystoneSaysSo() {
        keystone.reconfigure(SecurityCompliance.none().withLockout(1, Duration.ofMinutes(30)));
        keystone.insecureDebug(true);
        TestUser user = admin.createUser(admin.uniqueName("locked"), "Pw-Current-123");
        // A workload with a stale password locks the user.
        assertThat(catchThrowableOfType(KeystoneException.class, () -> KeystoneClient.builder(keystone.url()
                .toString()).build().login(UserSelector.byId(user.id()), SecretValue.of("Pw-Stale-456"), null)))
                .isNotNull();

        PlatformException e = catchThrowableOfType(PlatformException.class,
                () -> startRotator().apply(selfService(user, "Pw-Current-123", "Pw-New-200")));

        assertThat(e.reason()).isEqualTo(KitFailure.ACCOUNT_LOCKED);
        assertThat(e.reason().code()).isEqualTo("account_locked");
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("locked", "openstack user set", "lockout_duration")
                .doesNotContain("Pw-Current-123").doesNotContain("Pw-New-200");
    }

    @Test
    void withoutInsecureDebugALockedUserLooksLikeAWrongPasswordAndTheMessageSaysHowToUnlock() {
        keystone.reconfigure(SecurityCompliance.none().withLockout(1, Duration.ofMinutes(30)));
        TestUser user = admin.createUser(admin.uniqueName("quiet"), "Pw-Current-123");
        catchThrowableOfType(KeystoneException.class, () -> KeystoneClient.builder(keystone.url().toString()).build()
                .login(UserSelector.byId(user.id()), SecretValue.of("Pw-Stale-456"), null));

        PlatformException e = catchThrowableOfType(PlatformException.class,
                () -> startRotator().apply(selfService(user, "Pw-Current-123", "Pw-New-200")));

        assertThat(e.reason()).isEqualTo(KeystoneFailure.CURRENT_PASSWORD_REFUSED);
        assertThat(e.getMessage()).contains("locked out", "openstack user set");
    }
}
