package io.rotor.openstack.keystone;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Keystone call that did not succeed, with a typed {@link Reason} that says whether trying again can help. The
 * message names the operation and the user or credential, and quotes Keystone only where Keystone's text is known
 * not to echo the request (its password-rule messages, for instance); it never holds a password, secret or token.
 */
public final class KeystoneException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a call failed; {@link #retriable()} is the one answer retry logic may use. */
    public enum Reason {
        /** 401 to a login or a password change: wrong password, unknown user or locked account (Keystone won't say). */
        AUTHENTICATION_FAILED(false),
        /**
         * 401 to a login whose message says the account is locked ({@code lockout_failure_attempts} reached). Keystone
         * 22 itself answers a locked account as {@link #AUTHENTICATION_FAILED} (its audit wrapper re-raises
         * AccountLocked as a bare 401); a Keystone or proxy that passes the text on gets this.
         */
        ACCOUNT_LOCKED(false),
        /**
         * 401 "The password is expired and needs to be changed for user: {id}." — the password was right (Keystone
         * checks it first and does not count this as a failure); its user may still change it.
         */
        PASSWORD_EXPIRED(false),
        /** 401 "The account is disabled for user: {id}." — the password was right, the user is disabled. */
        USER_DISABLED(false),
        /** 401 to a call made with a token: it expired or was revoked; a new login may help. */
        TOKEN_REJECTED(true),
        /** {@code [security_compliance] password_regex}: the new password does not match. */
        PASSWORD_REGEX(false),
        /** {@code unique_last_password_count}: the new password was used recently. */
        PASSWORD_HISTORY(false),
        /** {@code minimum_password_age}: the current password is too young to be changed by its user. */
        PASSWORD_MINIMUM_AGE(false),
        /** The user's {@code lock_password} option forbids self-service changes. */
        PASSWORD_CHANGE_DISABLED(false),
        /** Another password validation error. */
        PASSWORD_REJECTED(false),
        /** Refused before sending: bcrypt reads only 72 bytes, so Keystone would silently shorten it. */
        PASSWORD_TOO_LONG(false),
        BAD_REQUEST(false),
        FORBIDDEN(false),
        NOT_FOUND(false),
        CONFLICT(false),
        /** 429. */
        THROTTLED(true),
        /** 5xx, from Keystone or a proxy in front of it. */
        SERVER_ERROR(true),
        TIMEOUT(true),
        /** Connection refused or reset, DNS failure. */
        UNREACHABLE(true),
        /** The certificate is not trusted or does not match the host: a configuration error. */
        TLS(false),
        /** An answer that is not Keystone's (a redirect, HTML with 200, a missing token header). */
        UNEXPECTED_RESPONSE(false);

        private final boolean retriable;

        Reason(boolean retriable) {
            this.retriable = retriable;
        }

        public boolean retriable() {
            return retriable;
        }

        /** The error code Rotor reports in StepFailed: {@code keystone.password-regex} and the like. */
        public String code() {
            return "keystone." + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;
    private final int status;
    private final String keystoneMessage;

    KeystoneException(Reason reason, int status, String message, String keystoneMessage, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.status = status;
        this.keystoneMessage = keystoneMessage;
    }

    public Reason reason() {
        return reason;
    }

    public boolean retriable() {
        return reason.retriable();
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    /**
     * The user id Keystone names in its expired, disabled and locked messages, which end in {@code user: <id>.}: the
     * one way to learn the id of a user given by name whose password logs in no more.
     */
    public Optional<String> userIdInMessage() {
        if (keystoneMessage == null) {
            return Optional.empty();
        }
        Matcher m = USER_IN_MESSAGE.matcher(keystoneMessage);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static final Pattern USER_IN_MESSAGE = Pattern.compile("for user: ([\\w-]+)\\.?$");

    /** Keystone's own words, when they could be quoted safely. */
    public Optional<String> keystoneMessage() {
        return Optional.ofNullable(keystoneMessage);
    }
}
