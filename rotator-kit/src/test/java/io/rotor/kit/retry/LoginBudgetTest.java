package io.rotor.kit.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.kit.timer.ManualTimers;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginBudgetTest {

    private final ManualTimers timers = new ManualTimers(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginBudget budget = new LoginBudget(2, Duration.ofMinutes(15), timers.clock());

    @Test
    void allowsLoginsUntilTheFailuresInTheWindowReachTheLimit() {
        assertThat(budget.allows("rec/admin")).isTrue();
        budget.recordFailure("rec/admin");
        assertThat(budget.allows("rec/admin")).isTrue();
        budget.recordFailure("rec/admin");

        assertThat(budget.allows("rec/admin")).isFalse();
        assertThat(budget.allows("rec/other")).isTrue();
    }

    @Test
    void failuresAgeOutOfTheWindow() {
        budget.recordFailure("rec/admin");
        timers.advance(Duration.ofMinutes(10));
        budget.recordFailure("rec/admin");
        assertThat(budget.allows("rec/admin")).isFalse();
        assertThat(budget.nextAllowance("rec/admin")).isEqualTo(Instant.parse("2026-01-01T00:15:00Z"));

        timers.advance(Duration.ofMinutes(5));

        assertThat(budget.allows("rec/admin")).isTrue();
        assertThat(budget.failuresInWindow("rec/admin")).isEqualTo(1);
    }
}
