package io.rotor.contracts.sealing;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens secrets of one audience with AES-256-GCM under that audience's {@link Keyring}. The audience (a
 * platform's rotator, see {@link SealingKeys}) is bound into every seal, so a value sealed for one audience does not
 * open for another even where an operator reused a key. Thread-safe.
 */
public final class Sealer {

    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final String audience;
    private final Keyring keyring;
    private final SecureRandom random;

    public Sealer(String audience, Keyring keyring) {
        this(audience, keyring, new SecureRandom());
    }

    public Sealer(String audience, Keyring keyring, SecureRandom random) {
        this.audience = SealingKeys.checkAudience(audience);
        this.keyring = Objects.requireNonNull(keyring, "keyring");
        this.random = Objects.requireNonNull(random, "random");
    }

    public String audience() {
        return audience;
    }

    public Keyring keyring() {
        return keyring;
    }

    /** Seals with the primary key and a fresh random nonce: sealing one value twice gives different ciphertexts. */
    public SealedValue seal(SecretValue value, SealContext context) {
        String keyId = keyring.primaryId();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] plain = value.utf8();
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keyring.primaryKey(), nonce);
            cipher.updateAAD(context.aad(audience, keyId));
            byte[] ciphertext = cipher.doFinal(plain);
            Base64.Encoder b64 = Base64.getEncoder();
            return new SealedValue(keyId, b64.encodeToString(nonce), b64.encodeToString(ciphertext));
        } catch (GeneralSecurityException e) {
            throw new SealingException(SealingException.Reason.BAD_KEYRING, "sealing failed: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** Opens a value sealed under this keyring for exactly this context. */
    public SecretValue open(SealedValue sealed, SealContext context) {
        Objects.requireNonNull(sealed, "sealed");
        SecretKey key = keyring.key(sealed.keyId());
        byte[] nonce = decode(sealed.nonce(), "nonce");
        byte[] ciphertext = decode(sealed.ciphertext(), "ciphertext");
        if (nonce.length != NONCE_BYTES) {
            throw new SealingException(SealingException.Reason.MALFORMED,
                    "the nonce has " + nonce.length + " bytes; AES-GCM here uses " + NONCE_BYTES);
        }
        if (ciphertext.length < TAG_BITS / 8) {
            throw new SealingException(SealingException.Reason.MALFORMED, "the ciphertext is shorter than its tag");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce);
            cipher.updateAAD(context.aad(audience, sealed.keyId()));
            byte[] plain = cipher.doFinal(ciphertext);
            try {
                return SecretValue.ofUtf8(plain);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            throw new SealingException(SealingException.Reason.AUTHENTICATION_FAILED,
                    "the sealed value does not authenticate for rotation " + context.rotationId() + ", credential "
                            + context.credential() + ", field " + context.field() + " (audience " + audience
                            + ", key " + sealed.keyId() + "): it was altered or belongs elsewhere", e);
        } catch (GeneralSecurityException e) {
            throw new SealingException(SealingException.Reason.MALFORMED, "opening failed: " + e.getMessage(), e);
        }
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        return cipher;
    }

    private static byte[] decode(String base64, String what) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SealingException(SealingException.Reason.MALFORMED, "the " + what + " is not base64");
        }
    }
}
