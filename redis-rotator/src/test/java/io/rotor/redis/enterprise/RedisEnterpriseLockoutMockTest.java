package io.rotor.redis.enterprise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.Strategy;
import io.rotor.kit.participant.FailureCode;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.BudgetRule;
import io.rotor.kit.retry.LeaseBudgetStore;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.kit.timer.ManualTimers;
import io.rotor.redis.InMemorySecretLookup;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.rec.RedisEnterpriseFake;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis Enterprise adapter against the stand-in's real lockout counter (5 failed logins lock for 30 minutes; the
 * counter is forgotten only after 15 quiet minutes, not on a success), with the durable budget in a Kubernetes API.
 * A rotator restart is a new adapter and a new budget on the same Leases; two replicas are two adapters on them.
 */
class RedisEnterpriseLockoutMockTest {

    private static final String ADMIN = "admin@example.com";
    private static final String RIGHT = "Old-pw-1!";
    private static final String STALE = "Stale-pw-0!";

    private static KubernetesSandbox sandbox;

    private final ManualTimers timers = new ManualTimers(Instant.parse("2026-03-01T02:00:00Z"));
    private final RedisEnterpriseFake rec = RedisEnterpriseFake.builder().clock(timers.clock())
            .user(ADMIN, "admin", RIGHT).start();
    private final InMemorySecretLookup secrets = RecFixtures.secretsTrusting(rec);
    private final RecFixtures.InMemoryClusters clusters = new RecFixtures.InMemoryClusters();

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
        rec.close();
    }

    /** A rotator process as it starts: a new adapter, a new budget, the same store (as redis-rotator configures it). */
    private RedisEnterpriseAdapter startRotator() {
        LoginBudget budget = new LoginBudget(new LeaseBudgetStore(sandbox.newClient(), "rotor"),
                BudgetRule.untilQuiet(2, Duration.ofMinutes(15)), timers.clock());
        return new RedisEnterpriseAdapter(secrets, budget, clusters);
    }

    private Rotation dual(String id, String oldPassword) {
        return RecFixtures.rotation(id, RecFixtures.spec(rec, ADMIN, Strategy.DUAL_PASSWORD, null), oldPassword,
                "New-pw-" + id + "!");
    }

    private static FailureCode failureOf(Runnable step) {
        try {
            step.run();
            return null;
        } catch (PlatformException e) {
            return e.reason();
        }
    }

    @Test
    void restartingTheRotatorEveryMinuteDoesNotResetTheBudget() {
        List<FailureCode> outcomes = new ArrayList<>();
        for (int restart = 0; restart < 6; restart++) {
            RedisEnterpriseAdapter rotator = startRotator();
            outcomes.add(failureOf(() -> rotator.apply(dual("r" + outcomes.size(), STALE))));
            timers.advance(Duration.ofMinutes(1));
        }

        assertThat(outcomes).containsExactly(RecFailure.CURRENT_PASSWORD_REJECTED,
                RecFailure.CURRENT_PASSWORD_REJECTED, KitFailure.LOGIN_BUDGET_EXHAUSTED,
                KitFailure.LOGIN_BUDGET_EXHAUSTED, KitFailure.LOGIN_BUDGET_EXHAUSTED,
                KitFailure.LOGIN_BUDGET_EXHAUSTED);
        assertThat(rec.failedLoginsTotal(ADMIN)).isEqualTo(2);
        assertThat(rec.lockouts()).isZero();
    }

    @Test
    void aGateway504AfterTheClusterCountedTheLoginIsCountedAndTheRetriesStop() {
        rec.failAfterLogin(6, 504);
        RedisEnterpriseAdapter rotator = startRotator();
        List<FailureCode> outcomes = new ArrayList<>();
        // The runtime retries a retriable failure up to 6 times.
        for (int attempt = 0; attempt < 6; attempt++) {
            outcomes.add(failureOf(() -> rotator.apply(dual("gw", STALE))));
            timers.advance(Duration.ofSeconds(10));
        }

        assertThat(outcomes).startsWith(RecFailure.REC_UNAVAILABLE, RecFailure.REC_UNAVAILABLE)
                .endsWith(KitFailure.LOGIN_BUDGET_EXHAUSTED);
        assertThat(rec.failedLoginsTotal(ADMIN)).isEqualTo(2);
        assertThat(rec.locked(ADMIN)).isFalse();
    }

    @Test
    void aCommandEveryFiveMinutesNeverLocksRec() {
        int failedAtRec = 0;
        for (int minute = 0; minute <= 180; minute += 5) {
            // Restarting now and then changes nothing either.
            RedisEnterpriseAdapter rotator = startRotator();
            failureOf(() -> rotator.apply(dual("every5", STALE)));
            assertThat(rec.locked(ADMIN)).as("locked at t+%d min", minute).isFalse();
            timers.advance(Duration.ofMinutes(5));
        }
        failedAtRec = rec.failedLoginsTotal(ADMIN);

        assertThat(rec.lockouts()).isZero();
        // Two failures, then three quiet 5-minute slots until REC (and the budget) forget them: 2 in every 20 minutes.
        assertThat(failedAtRec).isEqualTo(2 * (185 / 20) + Math.min(2, (185 % 20) / 5));
    }

    @Test
    void twoReplicasShareOneBudget() {
        RedisEnterpriseAdapter first = startRotator();
        RedisEnterpriseAdapter second = startRotator();

        assertThat(failureOf(() -> first.apply(dual("a", STALE)))).isEqualTo(RecFailure.CURRENT_PASSWORD_REJECTED);
        assertThat(failureOf(() -> second.apply(dual("b", STALE)))).isEqualTo(RecFailure.CURRENT_PASSWORD_REJECTED);
        assertThat(failureOf(() -> first.apply(dual("c", STALE)))).isEqualTo(KitFailure.LOGIN_BUDGET_EXHAUSTED);
        assertThat(failureOf(() -> second.apply(dual("d", STALE)))).isEqualTo(KitFailure.LOGIN_BUDGET_EXHAUSTED);

        assertThat(rec.failedLoginsTotal(ADMIN)).isEqualTo(2);
    }

    @Test
    void aSuccessInBetweenDoesNotBuyMoreFailuresBecauseRecDoesNotForgetOnSuccess() {
        RedisEnterpriseAdapter rotator = startRotator();
        failureOf(() -> rotator.apply(dual("s1", STALE)));
        rotator.apply(dual("s2", RIGHT));
        failureOf(() -> rotator.apply(dual("s3", STALE)));
        assertThat(failureOf(() -> rotator.apply(dual("s4", STALE)))).isEqualTo(KitFailure.LOGIN_BUDGET_EXHAUSTED);

        assertThat(rec.failedLogins(ADMIN)).isEqualTo(2);
    }

    @Test
    void theClustersOwnPolicyIsReadAndSurvivesARestart() {
        rec.lockoutPolicy(2, Duration.ofMinutes(30), Duration.ofHours(1));
        startRotator().apply(dual("p1", RIGHT));

        RedisEnterpriseAdapter restarted = startRotator();
        assertThat(failureOf(() -> restarted.apply(dual("p2", STALE)))).isEqualTo(RecFailure.CURRENT_PASSWORD_REJECTED);
        assertThat(failureOf(() -> restarted.apply(dual("p3", STALE)))).isEqualTo(KitFailure.LOGIN_BUDGET_EXHAUSTED);
        timers.advance(Duration.ofMinutes(30));
        assertThat(failureOf(() -> restarted.apply(dual("p4", STALE))))
                .as("the cluster forgets after an hour here, not 15 minutes").isEqualTo(KitFailure.LOGIN_BUDGET_EXHAUSTED);

        assertThat(rec.locked(ADMIN)).isFalse();
    }

    @Test
    void aLockedUserIsReportedAsAccountLockedWithHowToUnlock() {
        rec.lockOut(ADMIN);

        assertThatThrownBy(() -> startRotator().apply(dual("l1", RIGHT)))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KitFailure.ACCOUNT_LOCKED);
                    assertThat(e.reason().code()).isEqualTo("account_locked");
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getMessage()).contains("locked", "Reset to unlock",
                            "rladmin cluster reset_password " + ADMIN, "login_lockout_duration")
                            .doesNotContain(RIGHT);
                });
    }
}
