package io.rotor.openstack.keystone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.openstack.keystone.KeystoneException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns Keystone's answers into {@link KeystoneException}s. Keystone's 400 messages from its JSON-schema validation
 * quote the request body (the passwords in it), so a message is quoted only when it matches one of the templates
 * below, which are Keystone's own fixed texts; and every quoted text is also scrubbed of the secrets the request
 * carried.
 */
final class KeystoneErrors {

    private static final int MAX_QUOTE = 500;

    private record Rule(Pattern pattern, Reason reason, String explanation) {
    }

    /** Keystone 22's password-rule messages ({@code keystone/exception.py}), checked in this order. */
    private static final List<Rule> PASSWORD_RULES = List.of(
            new Rule(Pattern.compile("^The password does not match the requirements:"), Reason.PASSWORD_REGEX,
                    "the new password breaks Keystone's [security_compliance] password_regex; make "
                            + "spec.passwordPolicy produce passwords that match it"),
            new Rule(Pattern.compile("^The new password cannot be identical to a previous password\\."),
                    Reason.PASSWORD_HISTORY,
                    "the new password is one of the user's recent ones (unique_last_password_count)"),
            new Rule(Pattern.compile("^You cannot change your password at this time due to the minimum password age\\."),
                    Reason.PASSWORD_MINIMUM_AGE,
                    "the current password is younger than Keystone's minimum_password_age; wait, or let an "
                            + "administrator reset it (spec.keystone.adminSecretRef)"),
            new Rule(Pattern.compile("^You cannot change your password at this time due to password policy"),
                    Reason.PASSWORD_CHANGE_DISABLED,
                    "the user may not change its own password (lock_password); an administrator can reset it"),
            new Rule(Pattern.compile("^Password validation error:"), Reason.PASSWORD_REJECTED,
                    "Keystone rejected the new password"));

    /**
     * Keystone's {@code AccountLocked} text; it holds only the user id. Keystone 22's audit wrapper
     * ({@code notifications.py}) answers a locked login with a bare 401, so this is seen only from Keystones (or
     * proxies) that pass it on; the plain 401's message names the lock as one cause.
     */
    private static final Pattern ACCOUNT_LOCKED = Pattern.compile("^The account is locked for user: [\\w-]+\\.?$");
    /** {@code PasswordExpired}: shown whatever insecure_debug says; the password was right. */
    private static final Pattern PASSWORD_EXPIRED =
            Pattern.compile("^The password is expired and needs to be changed for user: [\\w-]+\\.?$");
    /** {@code UserDisabled}: shown whatever insecure_debug says; the password was right. */
    private static final Pattern USER_DISABLED = Pattern.compile("^The account is disabled for user: [\\w-]+\\.?$");

    /** Other fixed texts that hold only ids and names. */
    private static final List<Pattern> SAFE_TO_QUOTE = List.of(
            Pattern.compile("^You are not authorized to perform the requested action: [\\w:.' ]+\\.*$"),
            Pattern.compile("^Could not find [\\w ]+: [\\w.-]+\\.$"),
            Pattern.compile("^Conflict occurred attempting to store "),
            Pattern.compile("^Invalid application credential: "),
            Pattern.compile("^The 'expires_at' must not be before now\\."),
            Pattern.compile("^Expecting to find valid JSON in request body\\."));

    private final ObjectMapper json;

    KeystoneErrors(ObjectMapper json) {
        this.json = json;
    }

    KeystoneException fromResponse(Operation op, String subject, int status, String body, List<SecretValue> secrets) {
        String what = "Keystone refused to " + op.describe(subject);
        String message = keystoneMessage(body);
        if (status == 401) {
            if (op.login() && message != null && ACCOUNT_LOCKED.matcher(message).find()) {
                String quoted = scrub(message, secrets);
                return new KeystoneException(Reason.ACCOUNT_LOCKED, status, what + ": the account is locked (too many "
                        + "failed logins, lockout_failure_attempts). Keystone says: \"" + quoted + "\"", quoted, null);
            }
            if (op.login() && message != null && PASSWORD_EXPIRED.matcher(message).find()) {
                String quoted = scrub(message, secrets);
                return new KeystoneException(Reason.PASSWORD_EXPIRED, status, what + ": the password is right but "
                        + "expired (password_expires_days, or change_password_upon_first_use after an administrator "
                        + "set it). Keystone says: \"" + quoted + "\"", quoted, null);
            }
            if (op.login() && message != null && USER_DISABLED.matcher(message).find()) {
                String quoted = scrub(message, secrets);
                return new KeystoneException(Reason.USER_DISABLED, status, what + ": the password is right but the "
                        + "user is disabled. Keystone says: \"" + quoted + "\"", quoted, null);
            }
            if (op.login()) {
                return new KeystoneException(Reason.AUTHENTICATION_FAILED, status, what + ": the credentials were not "
                        + "accepted (HTTP 401; a wrong password, an unknown or disabled user or a locked account look the "
                        + "same). "
                        + "Not retried: every attempt counts towards Keystone's lockout.", null, null);
            }
            return new KeystoneException(Reason.TOKEN_REJECTED, status,
                    what + ": the token was not accepted (HTTP 401: expired or revoked)", null, null);
        }
        if (status == 400 && message != null) {
            for (Rule rule : PASSWORD_RULES) {
                if (rule.pattern().matcher(message).find()) {
                    String quoted = scrub(message, secrets);
                    return new KeystoneException(rule.reason(), status,
                            what + ": " + rule.explanation() + ". Keystone says: \"" + quoted + "\"", quoted, null);
                }
            }
        }
        Reason reason = switch (status) {
            case 400 -> Reason.BAD_REQUEST;
            case 403 -> Reason.FORBIDDEN;
            case 404 -> Reason.NOT_FOUND;
            case 409 -> Reason.CONFLICT;
            case 429 -> Reason.THROTTLED;
            default -> status >= 500 ? Reason.SERVER_ERROR : Reason.UNEXPECTED_RESPONSE;
        };
        if (status >= 300 && status < 400) {
            return new KeystoneException(Reason.UNEXPECTED_RESPONSE, status, what + ": HTTP " + status
                    + " redirect, which Rotor does not follow with credentials; configure the final identity URL",
                    null, null);
        }
        String quoted = message != null && SAFE_TO_QUOTE.stream().anyMatch(p -> p.matcher(message).find())
                ? scrub(message, secrets) : null;
        String detail = quoted != null ? ". Keystone says: \"" + quoted + "\""
                : status >= 500 || message == null ? "" : " (Keystone's message is not shown: it may quote the request)";
        return new KeystoneException(reason, status, what + ": HTTP " + status + detail, quoted, null);
    }

    KeystoneException fromIoFailure(Operation op, String subject, IOException e) {
        String what = "Could not " + op.describe(subject) + " at Keystone";
        if (e instanceof HttpConnectTimeoutException) {
            return new KeystoneException(Reason.UNREACHABLE, 0, what + ": connection timed out", null, e);
        }
        if (e instanceof HttpTimeoutException) {
            return new KeystoneException(Reason.TIMEOUT, 0, what + ": no answer in time (the call may still have "
                    + "taken effect)", null, e);
        }
        if (causedBy(e, SSLException.class)) {
            return new KeystoneException(Reason.TLS, 0, what + ": TLS failed (" + e.getMessage() + "); check the CA "
                    + "bundle (spec.endpoint.caSecretRef) and the host name in the URL", null, e);
        }
        if (e instanceof ConnectException || e.getCause() instanceof UnresolvedAddressException
                || e instanceof UnknownHostException) {
            return new KeystoneException(Reason.UNREACHABLE, 0, what + ": " + e.getClass().getSimpleName(), null, e);
        }
        return new KeystoneException(Reason.UNREACHABLE, 0, what + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + e.getMessage()), null, e);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static KeystoneException unexpected(Operation op, String subject, int status, String why) {
        return new KeystoneException(Reason.UNEXPECTED_RESPONSE, status,
                "Unexpected answer when trying to " + op.describe(subject) + ": " + why, null, null);
    }

    static KeystoneException passwordTooLong(String subject, int bytes) {
        return new KeystoneException(Reason.PASSWORD_TOO_LONG, 0, "Refused to send a " + bytes + "-byte password for "
                + subject + ": Keystone hashes with bcrypt, which reads only the first 72 bytes", null, null);
    }

    private String keystoneMessage(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode message = json.readTree(body).path("error").path("message");
            return message.isTextual() ? message.asText() : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String scrub(String message, List<SecretValue> secrets) {
        String text = message;
        for (SecretValue secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                text = text.replace(secret.reveal(), "[redacted]");
            }
        }
        return text.length() > MAX_QUOTE ? text.substring(0, MAX_QUOTE) + "…" : text;
    }
}
