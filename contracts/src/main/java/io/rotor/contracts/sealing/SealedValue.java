package io.rotor.contracts.sealing;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.util.regex.Pattern;

/**
 * A secret sealed with AES-256-GCM: the id of the key, a random 96-bit nonce and the ciphertext with its 128-bit tag,
 * both base64. It opens only with the same key and the same {@link SealContext}.
 */
public record SealedValue(String keyId, String nonce, String ciphertext) implements Validatable {

    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
    /** Enough for any credential field (a template-rendered file is written by the writer, not sealed). */
    static final int MAX_CIPHERTEXT = 8 * 1024;

    @Override
    public void validate(Validator v) {
        if (v.required("keyId", keyId)) {
            v.matches("keyId", keyId, KEY_ID, "1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (v.required("nonce", nonce)) {
            v.maxLength("nonce", nonce, 16).matches("nonce", nonce, BASE64, "base64");
        }
        if (v.required("ciphertext", ciphertext)) {
            v.maxLength("ciphertext", ciphertext, MAX_CIPHERTEXT).matches("ciphertext", ciphertext, BASE64, "base64");
        }
    }

    @Override
    public String toString() {
        return "SealedValue[keyId=" + keyId + "]";
    }
}
