package io.rotor.orchestrator.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.rotor.contracts.credential.Schedule;
import io.rotor.contracts.credential.Window;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * When a credential is next due. Everything counts from one instant, the start of the last rotation (or the
 * credential's creation): a cron schedule is due at its first slot after it, an interval that long after it. So slots
 * missed while Rotor was down do not pile up: the credential is simply due, once, and after that rotation the next
 * slot counts from it. A window moves a due time forward to the next moment inside it.
 */
public final class ScheduleCalculator {

    private final CronParser parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    public Instant nextDue(Schedule schedule, Instant baseline) {
        ZoneId zone = schedule.zone();
        Instant due;
        if (schedule.cron() != null) {
            ExecutionTime execution = ExecutionTime.forCron(parse(schedule.cron()));
            due = execution.nextExecution(baseline.atZone(zone)).map(ZonedDateTime::toInstant)
                    .orElseThrow(() -> new IllegalArgumentException("the cron expression never fires"));
        } else {
            due = baseline.plus(schedule.interval());
        }
        return schedule.window() == null ? due : intoWindow(due, schedule.window(), zone);
    }

    /** Why a cron expression cannot be used, or empty when it can. Never quotes more than the expression. */
    public Optional<String> cronProblem(String cron) {
        try {
            parse(cron);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("is not a valid five-field cron expression (" + e.getMessage() + ")");
        }
    }

    private Cron parse(String cron) {
        Cron parsed = parser.parse(cron.trim());
        parsed.validate();
        return parsed;
    }

    /** The first instant at or after {@code due} inside the window (an end before the start wraps past midnight). */
    static Instant intoWindow(Instant due, Window window, ZoneId zone) {
        LocalTime start = window.startTime();
        LocalTime end = window.endTime();
        Set<DayOfWeek> days = Set.copyOf(window.dayList());
        LocalDate first = due.atZone(zone).toLocalDate().minusDays(1);
        Instant best = null;
        for (int i = 0; i < 10; i++) {
            LocalDate day = first.plusDays(i);
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            Instant opens = ZonedDateTime.of(day, start, zone).toInstant();
            Instant closes = ZonedDateTime.of(end.isAfter(start) ? day : day.plusDays(1), end, zone).toInstant();
            if (due.isBefore(closes)) {
                Instant candidate = due.isAfter(opens) ? due : opens;
                if (best == null || candidate.isBefore(best)) {
                    best = candidate;
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("the window never opens");
        }
        return best;
    }
}
