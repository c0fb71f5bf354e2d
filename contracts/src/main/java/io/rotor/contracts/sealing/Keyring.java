package io.rotor.contracts.sealing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sealing keys: one primary that seals, and older ones that still open what they sealed, so the sealing key can
 * rotate while rotations are in flight. Loaded from a Kubernetes Secret whose data keys are key ids holding base64 AES
 * keys of 32 bytes, plus an entry {@value #PRIMARY_ENTRY} naming the primary.
 */
public final class Keyring {

    public static final String PRIMARY_ENTRY = "primary";
    static final int KEY_BYTES = 32;
    private static final Pattern KEY_ID = SealedValue.KEY_ID;

    private final String primaryId;
    private final Map<String, SecretKey> keys;

    private Keyring(String primaryId, Map<String, SecretKey> keys) {
        this.primaryId = primaryId;
        this.keys = Collections.unmodifiableMap(keys);
    }

    /**
     * Builds a keyring from key id to base64 key, as found in the sealing-key Secret (values already base64-decoded
     * from the Secret's own encoding, i.e. the text an operator put there).
     */
    public static Keyring of(String primaryId, Map<String, String> base64Keys) {
        if (base64Keys == null || base64Keys.isEmpty()) {
            throw new SealingException(SealingException.Reason.BAD_KEYRING, "the keyring holds no keys");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        base64Keys.forEach((id, encoded) -> {
            if (id == null || !KEY_ID.matcher(id).matches()) {
                throw new SealingException(SealingException.Reason.BAD_KEYRING,
                        "key id '" + id + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(encoded == null ? "" : encoded.trim());
            } catch (IllegalArgumentException e) {
                throw new SealingException(SealingException.Reason.BAD_KEYRING, "key '" + id + "' is not base64");
            }
            if (raw.length != KEY_BYTES) {
                throw new SealingException(SealingException.Reason.BAD_KEYRING,
                        "key '" + id + "' has " + raw.length + " bytes; AES-256 needs " + KEY_BYTES);
            }
            keys.put(id, new SecretKeySpec(raw, "AES"));
        });
        if (primaryId == null || !keys.containsKey(primaryId)) {
            throw new SealingException(SealingException.Reason.BAD_KEYRING,
                    "the primary key '" + primaryId + "' is not among the keys " + new TreeSet<>(keys.keySet()));
        }
        return new Keyring(primaryId, keys);
    }

    /** Reads the data of the sealing-key Secret: every entry but {@value #PRIMARY_ENTRY} is a key. */
    public static Keyring fromSecretData(Map<String, byte[]> data) {
        if (data == null || !data.containsKey(PRIMARY_ENTRY)) {
            throw new SealingException(SealingException.Reason.BAD_KEYRING,
                    "the sealing-key Secret has no '" + PRIMARY_ENTRY + "' entry naming the key to seal with");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        data.forEach((k, v) -> {
            if (!PRIMARY_ENTRY.equals(k)) {
                keys.put(k, new String(v, StandardCharsets.US_ASCII));
            }
        });
        return of(new String(data.get(PRIMARY_ENTRY), StandardCharsets.US_ASCII).trim(), keys);
    }

    /**
     * Parses the compact form used in configuration and environment variables: {@code id=base64,id=base64}, the
     * first entry being the primary.
     */
    public static Keyring parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new SealingException(SealingException.Reason.BAD_KEYRING,
                    "no sealing keys configured; expected id=base64key[,id=base64key...]");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        String primary = null;
        for (String entry : spec.split(",")) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new SealingException(SealingException.Reason.BAD_KEYRING,
                        "a sealing key entry must be id=base64key");
            }
            String id = entry.substring(0, eq).trim();
            keys.put(id, entry.substring(eq + 1).trim());
            if (primary == null) {
                primary = id;
            }
        }
        return of(primary, keys);
    }

    /** A fresh random key, base64, for setting up a keyring. */
    public static String generateKey(SecureRandom random) {
        byte[] raw = new byte[KEY_BYTES];
        random.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    public String primaryId() {
        return primaryId;
    }

    SecretKey primaryKey() {
        return keys.get(primaryId);
    }

    SecretKey key(String id) {
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new SealingException(SealingException.Reason.UNKNOWN_KEY, "the value was sealed with key '" + id
                    + "', which this keyring does not hold (it holds " + new TreeSet<>(keys.keySet())
                    + "); was a sealing key removed while rotations were in flight?");
        }
        return key;
    }

    public Set<String> keyIds() {
        return keys.keySet();
    }

    @Override
    public String toString() {
        return "Keyring[primary=" + primaryId + ", keys=" + new TreeSet<>(keys.keySet()) + "]";
    }
}
