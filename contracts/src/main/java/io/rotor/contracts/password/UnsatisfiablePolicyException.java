package io.rotor.contracts.password;

/** A password policy no password can meet (for example: ten digits required, all digits excluded). */
public class UnsatisfiablePolicyException extends IllegalArgumentException {

    public UnsatisfiablePolicyException(String message) {
        super(message);
    }
}
