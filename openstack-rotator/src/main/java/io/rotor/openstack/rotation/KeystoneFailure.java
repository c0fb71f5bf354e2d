package io.rotor.openstack.rotation;

import io.rotor.kit.participant.FailureCode;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import io.rotor.openstack.keystone.KeystoneException;

/** Why a Keystone step failed, as {@code StepFailed.errorCode}; only Keystone being unavailable is retried. */
public enum KeystoneFailure implements FailureCode {
    /** The current password from the Secret is refused: wrong, unknown user, or locked (Keystone does not say). */
    CURRENT_PASSWORD_REFUSED("keystone_current_password_refused", false),
    /** The new password or application credential does not log in after the change. */
    NEW_VALUE_REFUSED("keystone_new_value_refused", false),
    /** Tokens issued with the new value keep failing validation (revoked again and again). */
    NEW_TOKENS_REVOKED("keystone_new_tokens_revoked", false),
    /** The administrator's (or owner's) login from {@code keystone.adminSecretRef} is refused. */
    ADMIN_LOGIN_REFUSED("keystone_admin_login_refused", false),
    /** The Secret named by {@code keystone.adminSecretRef} is not a usable clouds.yaml. */
    ADMIN_CLOUD_INVALID("keystone_admin_cloud_invalid", false),
    /**
     * The admin cloud's {@code auth_url} is outside the endpoint policy (a host it does not list, or plain http where
     * it does not allow it): the admin password is not sent anywhere.
     */
    ADMIN_CLOUD_ENDPOINT_NOT_ALLOWED("keystone_admin_cloud_endpoint_not_allowed", false),
    /**
     * Keystone says the password is expired: right, but no longer good for a login (password_expires_days, or
     * change_password_upon_first_use after an administrator set it).
     */
    PASSWORD_EXPIRED("keystone_password_expired", false),
    /** Keystone says the user is disabled (its password was right). */
    USER_DISABLED("keystone_user_disabled", false),
    /** {@code password_regex}. */
    PASSWORD_REGEX("keystone_password_regex", false),
    /** {@code unique_last_password_count}. */
    PASSWORD_HISTORY("keystone_password_history", false),
    /** {@code minimum_password_age}. */
    PASSWORD_MINIMUM_AGE("keystone_password_minimum_age", false),
    /** The user may not change its own password ({@code lock_password}). */
    PASSWORD_CHANGE_DISABLED("keystone_password_change_disabled", false),
    PASSWORD_REJECTED("keystone_password_rejected", false),
    PASSWORD_TOO_LONG("keystone_password_too_long", false),
    USER_NOT_FOUND("keystone_user_not_found", false),
    /** The Secret lacks what this rotation needs (the current password, the application credential's id). */
    CURRENT_VALUE_INCOMPLETE("keystone_current_value_incomplete", false),
    /** Nothing Rotor may log in with is allowed to manage the user's application credentials. */
    APPLICATION_CREDENTIAL_NOT_MANAGEABLE("keystone_application_credential_not_manageable", false),
    FORBIDDEN("keystone_forbidden", false),
    NOT_FOUND("keystone_not_found", false),
    CONFLICT("keystone_conflict", false),
    BAD_REQUEST("keystone_bad_request", false),
    TLS("keystone_tls", false),
    UNEXPECTED_RESPONSE("keystone_unexpected_response", false),
    /** 5xx, 429, timeouts, refused connections, an expired token: retried with backoff. */
    UNAVAILABLE("keystone_unavailable", true);

    private final String code;
    private final boolean retriable;

    KeystoneFailure(String code, boolean retriable) {
        this.code = code;
        this.retriable = retriable;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public boolean retriable() {
        return retriable;
    }

    /** The client's failure as a step failure, with its message (which never holds a secret). */
    static PlatformException from(KeystoneException e) {
        if (e.reason() == KeystoneException.Reason.ACCOUNT_LOCKED) {
            return new PlatformException(KitFailure.ACCOUNT_LOCKED, e.getMessage() + " " + UNLOCK, e);
        }
        if (e.reason() == KeystoneException.Reason.USER_DISABLED) {
            return new PlatformException(USER_DISABLED, e.getMessage() + " " + ENABLE, e);
        }
        return new PlatformException(of(e.reason()), e.getMessage(), e);
    }

    /** How an operator re-enables a Keystone user. */
    static final String ENABLE = "Rotor changed nothing. An administrator re-enables the user (openstack user set "
            + "--enable <user>, or PATCH /v3/users/{id} with \"enabled\": true) if it is meant to be in use; then "
            + "request the rotation again.";

    /** How an operator unlocks a Keystone user; also said where Keystone does not tell a lock from a wrong password. */
    static final String UNLOCK = "To unlock it, an administrator sets the user's password (openstack user set "
            + "--password-prompt <user>, or PATCH /v3/users/{id}), which also resets the failure counter, and puts that "
            + "password in the credential's Secret; or waits out Keystone's [security_compliance] lockout_duration. A "
            + "successful login resets the counter, so rotation can then be requested again.";

    /** The same failure with a sentence added to its message. */
    static PlatformException withNote(PlatformException e, String note) {
        return new PlatformException(e.reason(), e.getMessage() + note, e.platformMayHaveChanged(), e.getCause());
    }

    static KeystoneFailure of(KeystoneException.Reason reason) {
        return switch (reason) {
            case AUTHENTICATION_FAILED, ACCOUNT_LOCKED -> CURRENT_PASSWORD_REFUSED;
            case PASSWORD_EXPIRED -> PASSWORD_EXPIRED;
            case USER_DISABLED -> USER_DISABLED;
            case PASSWORD_REGEX -> PASSWORD_REGEX;
            case PASSWORD_HISTORY -> PASSWORD_HISTORY;
            case PASSWORD_MINIMUM_AGE -> PASSWORD_MINIMUM_AGE;
            case PASSWORD_CHANGE_DISABLED -> PASSWORD_CHANGE_DISABLED;
            case PASSWORD_REJECTED -> PASSWORD_REJECTED;
            case PASSWORD_TOO_LONG -> PASSWORD_TOO_LONG;
            case BAD_REQUEST -> BAD_REQUEST;
            case FORBIDDEN -> FORBIDDEN;
            case NOT_FOUND -> NOT_FOUND;
            case CONFLICT -> CONFLICT;
            case TLS -> TLS;
            case UNEXPECTED_RESPONSE -> UNEXPECTED_RESPONSE;
            case TOKEN_REJECTED, THROTTLED, SERVER_ERROR, TIMEOUT, UNREACHABLE -> UNAVAILABLE;
        };
    }
}
