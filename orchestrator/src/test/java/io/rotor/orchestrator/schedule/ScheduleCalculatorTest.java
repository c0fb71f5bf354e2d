package io.rotor.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.contracts.credential.Schedule;
import io.rotor.contracts.credential.Window;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleCalculatorTest {

    final ScheduleCalculator calculator = new ScheduleCalculator();

    @Test
    void anIntervalIsDueThatLongAfterTheLastRotation() {
        Instant last = Instant.parse("2026-03-01T10:00:00Z");

        assertThat(calculator.nextDue(new Schedule(null, Duration.ofDays(30), null, null), last))
                .isEqualTo(Instant.parse("2026-03-31T10:00:00Z"));
    }

    @Test
    void aCronScheduleIsDueAtItsFirstSlotAfterTheLastRotationInItsTimeZone() {
        Instant last = Instant.parse("2026-03-01T10:00:00Z");

        assertThat(calculator.nextDue(new Schedule("0 3 * * *", null, null, "Europe/Berlin"), last))
                .isEqualTo(Instant.parse("2026-03-02T02:00:00Z"));
    }

    @Test
    void slotsMissedWhileDownCollapseIntoOneDueTime() {
        Instant last = Instant.parse("2026-03-01T10:00:00Z");
        Schedule hourly = new Schedule("0 * * * *", null, null, null);
        Instant due = calculator.nextDue(hourly, last);
        Instant muchLater = Instant.parse("2026-03-03T00:00:00Z");

        // The credential is simply due now; once it rotates, the next slot counts from that rotation.
        assertThat(due).isBefore(muchLater);
        assertThat(calculator.nextDue(hourly, muchLater.plusSeconds(30)))
                .isEqualTo(Instant.parse("2026-03-03T01:00:00Z"));
    }

    @Test
    void aWindowMovesADueTimeToWhenItNextOpens() {
        Window nights = new Window("22:00", "04:00", List.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
        // Due on Monday 2026-03-02 at noon: the next window opens Saturday 22:00.
        Instant due = calculator.nextDue(new Schedule(null, Duration.ofHours(2), nights, null),
                Instant.parse("2026-03-02T10:00:00Z"));

        assertThat(due).isEqualTo(Instant.parse("2026-03-07T22:00:00Z"));
    }

    @Test
    void aDueTimeInsideAWrappingWindowStaysWhereItIs() {
        Window nights = new Window("22:00", "04:00", null);
        Instant due = calculator.nextDue(new Schedule(null, Duration.ofHours(1), nights, null),
                Instant.parse("2026-03-02T01:00:00Z"));

        assertThat(due).isEqualTo(Instant.parse("2026-03-02T02:00:00Z"));
    }

    @Test
    void anInvalidCronExpressionIsExplained() {
        assertThat(calculator.cronProblem("61 * * * *")).hasValueSatisfying(p -> assertThat(p)
                .startsWith("is not a valid five-field cron expression"));
        assertThat(calculator.cronProblem("*/5 * * * *")).isEmpty();
    }
}
