package io.rotor.testkit.keystone;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code [security_compliance]} rules of a Keystone under test: the password rules a rotation can run into
 * ({@code password_regex}, {@code unique_last_password_count}, {@code minimum_password_age}) and the lockout that
 * wrong passwords lead to. {@link #none()} is Keystone's default: no rule at all.
 *
 * @param passwordRegex            matched from the start of the password, as Python's {@code re.match} does
 * @param passwordRegexDescription what Keystone tells a client whose password does not match
 * @param uniqueLastPasswordCount  how many passwords, the new one included, must differ; 0 = off
 * @param minimumPasswordAgeDays   days a self-service password must be kept before it may change again; 0 = off
 * @param lockoutFailureAttempts   failed logins before the account locks; 0 = off
 * @param lockoutDuration          how long it stays locked (Keystone counts whole seconds)
 * @param changePasswordUponFirstUse a password an administrator sets (creating the user or resetting it) is expired
 *                                 at once, until the user changes it; users with the option
 *                                 {@code ignore_change_password_upon_first_use} are exempt
 */
public record SecurityCompliance(String passwordRegex, String passwordRegexDescription, int uniqueLastPasswordCount,
        int minimumPasswordAgeDays, int lockoutFailureAttempts, Duration lockoutDuration,
        boolean changePasswordUponFirstUse) {

    public SecurityCompliance {
        if (passwordRegex != null) {
            Pattern.compile(passwordRegex);
        }
        if (uniqueLastPasswordCount < 0 || minimumPasswordAgeDays < 0 || lockoutFailureAttempts < 0) {
            throw new IllegalArgumentException("counts and ages must not be negative");
        }
        Objects.requireNonNull(lockoutDuration, "lockoutDuration");
        if (lockoutDuration.toSeconds() < 1) {
            throw new IllegalArgumentException("Keystone's lockout_duration is at least one second");
        }
    }

    /** Keystone's defaults: every rule off (lockout_duration 1800 s is the default, unused without attempts). */
    public static SecurityCompliance none() {
        return new SecurityCompliance(null, null, 0, 0, 0, Duration.ofSeconds(1800), false);
    }

    public SecurityCompliance withPasswordRegex(String regex, String description) {
        return new SecurityCompliance(regex, description, uniqueLastPasswordCount, minimumPasswordAgeDays,
                lockoutFailureAttempts, lockoutDuration, changePasswordUponFirstUse);
    }

    public SecurityCompliance withUniqueLastPasswordCount(int count) {
        return new SecurityCompliance(passwordRegex, passwordRegexDescription, count, minimumPasswordAgeDays,
                lockoutFailureAttempts, lockoutDuration, changePasswordUponFirstUse);
    }

    public SecurityCompliance withMinimumPasswordAgeDays(int days) {
        return new SecurityCompliance(passwordRegex, passwordRegexDescription, uniqueLastPasswordCount, days,
                lockoutFailureAttempts, lockoutDuration, changePasswordUponFirstUse);
    }

    public SecurityCompliance withLockout(int failureAttempts, Duration duration) {
        return new SecurityCompliance(passwordRegex, passwordRegexDescription, uniqueLastPasswordCount,
                minimumPasswordAgeDays, failureAttempts, duration, changePasswordUponFirstUse);
    }

    public SecurityCompliance withChangePasswordUponFirstUse(boolean on) {
        return new SecurityCompliance(passwordRegex, passwordRegexDescription, uniqueLastPasswordCount,
                minimumPasswordAgeDays, lockoutFailureAttempts, lockoutDuration, on);
    }

    /** The section as keystone.conf wants it. oslo.config substitutes {@code $name}, so a literal '$' is doubled. */
    public String toIni() {
        StringBuilder ini = new StringBuilder("[security_compliance]\n");
        if (passwordRegex != null) {
            ini.append("password_regex = ").append(passwordRegex.replace("$", "$$")).append('\n');
            if (passwordRegexDescription != null) {
                ini.append("password_regex_description = ").append(passwordRegexDescription.replace("$", "$$"))
                        .append('\n');
            }
        }
        ini.append("unique_last_password_count = ").append(uniqueLastPasswordCount).append('\n');
        ini.append("minimum_password_age = ").append(minimumPasswordAgeDays).append('\n');
        if (lockoutFailureAttempts > 0) {
            ini.append("lockout_failure_attempts = ").append(lockoutFailureAttempts).append('\n');
            ini.append("lockout_duration = ").append(lockoutDuration.toSeconds()).append('\n');
        }
        if (changePasswordUponFirstUse) {
            ini.append("change_password_upon_first_use = true\n");
        }
        return ini.toString();
    }
}
