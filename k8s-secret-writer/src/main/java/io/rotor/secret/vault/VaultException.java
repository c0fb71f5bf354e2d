package io.rotor.secret.vault;

/** A Vault call failed; {@link Kind} says whether to retry. Messages carry Vault's error text, never data. */
public final class VaultException extends RuntimeException {

    public enum Kind {
        /** 400 check-and-set mismatch: someone wrote the path since it was read. Read again. */
        CAS_MISMATCH,
        /** 401/403: the token lacks a policy for the path. */
        FORBIDDEN,
        /** No answer, 429, 5xx (a sealed or standby Vault). Retry with backoff. */
        UNAVAILABLE,
        /** Any other refusal (an unknown mount, a malformed request). */
        REJECTED
    }

    private final Kind kind;

    public VaultException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
