package io.rotor.testkit.keystone;

import java.util.List;

/** Keystone did not come up (or down); the message carries the tail of the launcher's log. */
public final class KeystoneStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KeystoneStartupException(String message, List<String> logTail) {
        super(logTail.isEmpty() ? message : message + "; last lines of the launcher log:\n  " + String.join("\n  ", logTail));
    }
}
