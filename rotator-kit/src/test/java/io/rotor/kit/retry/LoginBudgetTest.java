package io.rotor.kit.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.timer.ManualTimers;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginBudgetTest {

    private final ManualTimers timers = new ManualTimers(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryBudgetStore store = new InMemoryBudgetStore();
    private final LoginBudget rec = new LoginBudget(store, BudgetRule.untilQuiet(2, Duration.ofMinutes(15)),
            timers.clock());
    private final LoginBudget keystone = new LoginBudget(store, BudgetRule.untilSuccess(2), timers.clock());

    @Test
    void anAttemptIsCountedBeforeItIsSentAndStaysCountedWhenItsOutcomeIsUnknown() {
        rec.begin("rec/admin", "admin at rec");
        // No outcome reported: a crash, a timeout or a 504 after the request left.
        assertThat(rec.counted("rec/admin")).isEqualTo(1);
        rec.begin("rec/admin", "admin at rec");

        assertThat(rec.allows("rec/admin")).isFalse();
        assertThatThrownBy(() -> rec.begin("rec/admin", "admin at rec"))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KitFailure.LOGIN_BUDGET_EXHAUSTED);
                    assertThat(e.getMessage()).contains("2026-01-01T00:15:00Z", "admin at rec");
                });
        assertThat(rec.counted("rec/admin")).as("a refused attempt is not counted").isEqualTo(2);
        assertThat(rec.allows("rec/other")).isTrue();
    }

    @Test
    void aSuccessResetsKeystonesCount() {
        keystone.begin("ks/alice", "alice").notSent();
        assertThat(keystone.counted("ks/alice")).as("never left: given back").isZero();

        keystone.begin("ks/alice", "alice");
        keystone.begin("ks/alice", "alice").succeeded();

        assertThat(keystone.counted("ks/alice")).isZero();
    }

    @Test
    void aSuccessDoesNotResetRecsCountAndDoesNotBreakItsQuietPeriod() {
        rec.begin("rec/admin", "admin");
        timers.advance(Duration.ofMinutes(10));
        rec.begin("rec/admin", "admin").succeeded();

        assertThat(rec.counted("rec/admin")).as("only the success's own count is taken back").isEqualTo(1);
        timers.advance(Duration.ofMinutes(5));
        assertThat(rec.counted("rec/admin")).as("15 minutes after the failure, not after the success").isZero();
    }

    @Test
    void recForgetsOnlyAfterFifteenQuietMinutesNotInASlidingWindow() {
        rec.begin("rec/admin", "admin");
        timers.advance(Duration.ofMinutes(10));
        rec.begin("rec/admin", "admin");
        timers.advance(Duration.ofMinutes(10));

        // A sliding window would have let the first failure go; REC counts both until 15 minutes pass quietly.
        assertThat(rec.allows("rec/admin")).isFalse();
        timers.advance(Duration.ofMinutes(5));
        assertThat(rec.allows("rec/admin")).isTrue();
        assertThat(rec.counted("rec/admin")).isZero();
    }

    @Test
    void keystoneNeverForgetsByTimeAndTheMessageSaysHowToReset() {
        keystone.begin("ks/alice", "alice at keystone");
        keystone.begin("ks/alice", "alice at keystone");
        timers.advance(Duration.ofDays(30));

        assertThatThrownBy(() -> keystone.begin("ks/alice", "alice at keystone"))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.getMessage())
                        .contains("only on a successful one", "deleted the rotator's memory"));
    }

    @Test
    void thePlatformsOwnPolicyTightensTheRule() {
        LoginBudget generous = new LoginBudget(store, BudgetRule.untilQuiet(4, Duration.ofMinutes(15)),
                timers.clock());
        generous.observePlatformPolicy("rec/admin", 3, Optional.of(Duration.ofHours(1)));
        assertThat(generous.allowance("rec/admin")).as("one short of the platform's threshold").isEqualTo(2);

        generous.begin("rec/admin", "admin");
        generous.begin("rec/admin", "admin");
        timers.advance(Duration.ofMinutes(30));
        assertThat(generous.allows("rec/admin")).as("the cluster waits an hour, so does Rotor").isFalse();
        timers.advance(Duration.ofMinutes(30));
        assertThat(generous.allows("rec/admin")).isTrue();
    }

    @Test
    void aThresholdOfZeroMeansThePlatformDoesNotLock() {
        rec.observePlatformPolicy("rec/admin", 0, Optional.empty());
        assertThat(rec.allowance("rec/admin")).isEqualTo(2);
    }
}
