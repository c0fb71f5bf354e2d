package io.rotor.contracts.sealing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A secret in plain form. It never prints itself, and Jackson refuses to write it: the only way into an event or a
 * response is {@link Sealer#seal}. Reading one from JSON is allowed, because operators hand new values in through
 * Rotor's doors, which seal them at once.
 */
@JsonSerialize(using = SecretValue.RefuseToWrite.class)
public final class SecretValue {

    private static final String REDACTED = "[redacted]";

    private final byte[] utf8;

    private SecretValue(byte[] utf8) {
        this.utf8 = utf8;
    }

    @JsonCreator
    public static SecretValue of(String plain) {
        Objects.requireNonNull(plain, "plain");
        return new SecretValue(plain.getBytes(StandardCharsets.UTF_8));
    }

    static SecretValue ofUtf8(byte[] utf8) {
        return new SecretValue(utf8.clone());
    }

    /** The plain value, for the single call that hands it to a platform or a Secret. Never log the result. */
    public String reveal() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    byte[] utf8() {
        return utf8.clone();
    }

    /** Length in UTF-8 bytes, which is what bcrypt (Keystone) counts. */
    public int byteLength() {
        return utf8.length;
    }

    public boolean isEmpty() {
        return utf8.length == 0;
    }

    /** Compares in constant time, so that timing tells nothing about how much of a guess was right. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SecretValue s && MessageDigest.isEqual(utf8, s.utf8);
    }

    /** Deliberately weak: a hash derived from the content would be a fingerprint of the secret. */
    @Override
    public int hashCode() {
        return utf8.length;
    }

    @Override
    public String toString() {
        return REDACTED;
    }

    /** Overwrites the value in memory once it is no longer needed. */
    public void destroy() {
        Arrays.fill(utf8, (byte) 0);
    }

    static final class RefuseToWrite extends JsonSerializer<SecretValue> {
        @Override
        public void serialize(SecretValue value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            throw JsonMappingException.from(gen,
                    "a SecretValue cannot be written in plain form; seal it with a Sealer and write the SealedValue");
        }
    }
}
