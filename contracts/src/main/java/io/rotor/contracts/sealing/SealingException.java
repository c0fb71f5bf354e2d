package io.rotor.contracts.sealing;

/** A value could not be sealed or opened. Messages name keys and contexts, never values. */
public class SealingException extends RuntimeException {

    public enum Reason {
        /** The value names a key this keyring does not hold. */
        UNKNOWN_KEY,
        /** Authentication failed: the ciphertext, nonce or key id was changed, or the context differs. */
        AUTHENTICATION_FAILED,
        /** The sealed value is not well formed (bad base64, wrong nonce length). */
        MALFORMED,
        /** The keyring itself is unusable (no primary, wrong key length). */
        BAD_KEYRING,
        /** This service holds no keyring for the value's audience: it is not one of those meant to open it. */
        AUDIENCE_NOT_HELD
    }

    private final Reason reason;

    public SealingException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SealingException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
