package io.rotor.kit.participant;

/** Failures the runtime itself detects, before or around the platform adapter. */
public enum KitFailure implements FailureCode {
    /** The command's or event's sealed value does not open here (unknown key, altered, sealed elsewhere). */
    SEALED_VALUE_UNREADABLE("sealed_value_unreadable", false),
    /** The command carries no new value; this rotator needs one. */
    NEW_VALUE_MISSING("new_value_missing", false),
    /** The event carries no previous value, so there is nothing this rotator could retire. */
    PREVIOUS_VALUE_MISSING("previous_value_missing", false),
    /** The Secret holding the current value does not exist. */
    SECRET_NOT_FOUND("secret_not_found", false),
    /** The Secret exists but lacks a key the spec maps. */
    SECRET_KEY_MISSING("secret_key_missing", false),
    /** The Secret's format is one this rotator cannot read the current value from. */
    SECRET_FORMAT_UNSUPPORTED("secret_format_unsupported", false),
    /** The Secret does not carry the label {@code rotor.io/credential=<name>} that lets this credential use it. */
    SECRET_NOT_OPTED_IN("secret_not_opted_in", false),
    /** Kubernetes refused to let this service read the Secret (RBAC). */
    SECRET_FORBIDDEN("secret_forbidden", false),
    /** The Kubernetes API could not be reached or answered with a server error. */
    KUBERNETES_UNAVAILABLE("kubernetes_unavailable", true),
    /** Rotor already made as many logins of failed or unknown outcome for this account as it allows itself. */
    LOGIN_BUDGET_EXHAUSTED("login_budget_exhausted", false),
    /** The platform says the account is locked (too many failed logins): an administrator must unlock it. */
    ACCOUNT_LOCKED("account_locked", false),
    /** No adapter of this service handles the credential's platform and strategy. */
    UNSUPPORTED("unsupported", false),
    /** A bug or an unforeseen condition; the log has the stack trace. */
    UNEXPECTED("unexpected_error", false);

    private final String code;
    private final boolean retriable;

    KitFailure(String code, boolean retriable) {
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
}
