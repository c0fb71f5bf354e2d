package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.regex.Pattern;

/**
 * When a credential is due: a five-field cron expression or an ISO-8601 interval since the last successful rotation,
 * optionally only inside a window.
 */
public record Schedule(String cron, Duration interval, Window window, String timeZone) implements Validatable {

    /** Five fields of digits, names, ranges, steps and lists; the scheduler parses the detail. */
    static final Pattern CRON_SHAPE = Pattern.compile("\\S+( \\S+){4}");
    static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

    public ZoneId zone() {
        return timeZone == null ? ZoneId.of("UTC") : ZoneId.of(timeZone);
    }

    @Override
    public void validate(Validator v) {
        if ((cron == null) == (interval == null)) {
            v.fail("", "needs exactly one of cron or interval");
        }
        if (cron != null) {
            v.maxLength("cron", cron, 128).matches("cron", cron.trim(), CRON_SHAPE,
                    "a cron expression of five fields (minute hour day-of-month month day-of-week)");
        }
        if (interval != null && interval.compareTo(MIN_INTERVAL) < 0) {
            v.fail("interval", "must be at least one minute");
        }
        v.check("window", window);
        if (timeZone != null) {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                v.fail("timeZone", "is not a known time zone id (such as UTC or Europe/Berlin)");
            }
        }
    }
}
