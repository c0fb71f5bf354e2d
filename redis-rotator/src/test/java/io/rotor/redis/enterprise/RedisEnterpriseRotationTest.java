package io.rotor.redis.enterprise;

import static io.rotor.redis.RuntimeHarness.command;
import static io.rotor.redis.RuntimeHarness.restarted;
import static io.rotor.redis.RuntimeHarness.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.kit.timer.ManualTimers;
import io.rotor.redis.InMemorySecretLookup;
import io.rotor.redis.RuntimeHarness;
import io.rotor.testkit.rec.RedisEnterpriseFake;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whole Redis Enterprise rotations through the kit's runtime against the fake cluster. */
class RedisEnterpriseRotationTest {

    private static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");
    private static final String ADMIN = "admin@example.com";
    private static final CredentialRef REF = CredentialRef.parse("redis/rec");

    private final ManualTimers timers = new ManualTimers(T0);
    private final RedisEnterpriseFake rec = RedisEnterpriseFake.builder().clock(timers.clock())
            .user(ADMIN, "admin", "Old-pw-1!").start();
    private final InMemorySecretLookup secrets = RecFixtures.secretsTrusting(rec)
            .put("redis", "rec", Map.of("username", ADMIN, "password", "Old-pw-1!"));
    private final RuntimeHarness harness = new RuntimeHarness(timers, secrets, 3,
            new RedisEnterpriseAdapter(secrets, LoginBudget.inMemory(2, Duration.ofMinutes(15), timers.clock()),
                    new RecFixtures.InMemoryClusters()));
    private final ManagedCredentialSpec spec = RecFixtures.spec(rec, ADMIN, Strategy.DUAL_PASSWORD, null);

    @AfterEach
    void stop() {
        harness.close();
        rec.close();
    }

    @Test
    void bothPasswordsWorkAfterApplyOnlyTheNewOneAfterTheFiveMinuteWaitAndRedeliveryChangesNothing()
            throws Exception {
        StepCompleted updated = (StepCompleted) harness.command(command("rot-1", REF, spec, "New-pw-2!"), T0);
        assertThat(rec.accepts(ADMIN, "Old-pw-1!")).isTrue();
        assertThat(rec.accepts(ADMIN, "New-pw-2!")).isTrue();
        assertThat(RuntimeHarness.open(updated.material(), "rot-1", REF, Purpose.NEW, CredentialField.PASSWORD))
                .isEqualTo("New-pw-2!");

        StepCompleted again = (StepCompleted) harness.command(command("rot-1", REF, spec, "New-pw-2!"), T0);
        assertThat(again.details()).containsEntry("changed", "false");
        assertThat(rec.passwordCount(ADMIN)).isEqualTo(2);

        CompletionStage<List<RotorEvent>> revoke = harness.onEvent(restarted(updated), T0);
        timers.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(rec.accepts(ADMIN, "Old-pw-1!")).isTrue();
        timers.advance(Duration.ofSeconds(1));

        assertThat(single(revoke)).isInstanceOfSatisfying(StepCompleted.class,
                done -> assertThat(done.step()).isEqualTo(Step.OLD_REVOKED));
        assertThat(rec.accepts(ADMIN, "Old-pw-1!")).isFalse();
        assertThat(rec.accepts(ADMIN, "New-pw-2!")).isTrue();
        assertThat(rec.failedLoginsTotal(ADMIN)).isZero();
    }

    @Test
    void aWrongPasswordInTheSecretStopsWithAClearErrorAfterOneFailedLoginAndNoRunCanLockTheAccount()
            throws Exception {
        secrets.put("redis", "rec", Map.of("username", ADMIN, "password", "Stale-pw-0!"));

        RotorEvent answer = harness.command(command("rot-2", REF, spec, "New-pw-2!"), T0);

        assertThat(answer).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.errorCode()).isEqualTo("current_password_rejected");
            assertThat(f.retriable()).isFalse();
            assertThat(f.message()).contains("the Secret does not hold the current password", "or the account is locked",
                            "Reset to unlock")
                    .doesNotContain("Stale-pw-0!");
        });
        assertThat(rec.failedLogins(ADMIN)).isEqualTo(1);
        assertThat(harness.announced).isEmpty();

        for (int i = 0; i < 20; i++) {
            assertThat(harness.command(command("rot-" + (3 + i), REF, spec, "New-pw-" + i + "!"), T0))
                    .isInstanceOf(StepFailed.class);
        }
        assertThat(rec.failedLoginsTotal(ADMIN)).isEqualTo(2);
        assertThat(rec.locked(ADMIN)).isFalse();
        assertThat(rec.lockouts()).isZero();
    }

    @Test
    void anOverloadedClusterIsRetriedWithBackoffAndTheRotationCompletes() throws Exception {
        rec.failNext(1, 503);

        CompletionStage<List<RotorEvent>> answer = harness.onCommand(command("rot-4", REF, spec, "New-pw-2!"), T0);
        org.awaitility.Awaitility.await().until(() -> timers.pending() == 1);
        timers.advance(Duration.ofSeconds(5));

        assertThat(single(answer)).isInstanceOf(StepCompleted.class);
        assertThat(harness.announced).hasSize(1).allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                StepFailed.class, f -> assertThat(f.errorCode()).isEqualTo("rec_unavailable")));
    }

    /**
     * A 5xx may come from a gateway after the cluster counted the login, so each is a possible failure: two in a row
     * spend the budget (REC's counter is forgotten only after 15 quiet minutes) and the step stops instead of retrying
     * towards a lockout. The message says when Rotor tries again.
     */
    @Test
    void twoServerErrorsInARowSpendTheBudgetAndTheRetriesStop() throws Exception {
        rec.failNext(6, 503);

        CompletionStage<List<RotorEvent>> answer = harness.onCommand(command("rot-5", REF, spec, "New-pw-2!"), T0);
        for (int i = 0; i < 2; i++) {
            org.awaitility.Awaitility.await().until(() -> timers.pending() == 1);
            timers.advance(Duration.ofMinutes(1));
        }

        assertThat(single(answer)).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.errorCode()).isEqualTo("login_budget_exhausted");
            assertThat(f.retriable()).isFalse();
            assertThat(f.message()).contains("tries again after");
        });
        assertThat(rec.requestCount()).as("two attempts reached the cluster, not six").isEqualTo(2);
    }
}
