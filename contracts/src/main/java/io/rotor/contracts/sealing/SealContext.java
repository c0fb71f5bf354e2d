package io.rotor.contracts.sealing;

import io.rotor.contracts.credential.CredentialRef;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a sealed value belongs to. It is authenticated with the ciphertext (GCM's additional data), so a value sealed
 * for one rotation, credential or field cannot be replayed into another: opening it there fails.
 *
 * @param field the credential field and purpose, such as {@code new/password} or {@code previous/password}
 */
public record SealContext(String rotationId, CredentialRef credential, String field) {

    private static final String VERSION = "rotor.seal.v2";

    public SealContext {
        Objects.requireNonNull(rotationId, "rotationId");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(field, "field");
    }

    /** NUL separators: none of the parts may contain NUL, so no two contexts encode alike. */
    byte[] aad(String audience, String keyId) {
        if (rotationId.indexOf('\0') >= 0 || field.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a seal context must not contain NUL characters");
        }
        return String.join("\0", VERSION, audience, keyId, rotationId, credential.asString(), field)
                .getBytes(StandardCharsets.UTF_8);
    }
}
