package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * When scheduled rotations may start: between {@code start} and {@code end} (HH:mm, in the schedule's time zone; an
 * end before the start wraps past midnight), on the listed days (all days when empty).
 */
public record Window(String start, String end, List<DayOfWeek> days) implements Validatable {

    public LocalTime startTime() {
        return LocalTime.parse(start);
    }

    public LocalTime endTime() {
        return LocalTime.parse(end);
    }

    public List<DayOfWeek> dayList() {
        return days == null || days.isEmpty() ? List.of(DayOfWeek.values()) : days;
    }

    @Override
    public void validate(Validator v) {
        for (String[] field : new String[][] {{"start", start}, {"end", end}}) {
            if (v.required(field[0], field[1])) {
                try {
                    LocalTime.parse(field[1]);
                } catch (DateTimeParseException e) {
                    v.fail(field[0], "must be a time of day as HH:mm");
                }
            }
        }
        if (start != null && start.equals(end)) {
            v.fail("end", "must differ from start");
        }
    }
}
