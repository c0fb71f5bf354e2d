package io.rotor.contracts.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SealerTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final CredentialRef CREDENTIAL = CredentialRef.parse("team-a/redis-admin");
    private static final SealContext CONTEXT = new SealContext("rot-1", CREDENTIAL, "new/password");

    private final String k1 = Keyring.generateKey(RANDOM);
    private final String k2 = Keyring.generateKey(RANDOM);
    private final Sealer sealer = new Sealer("redis", Keyring.of("k1", Map.of("k1", k1)));

    @Test
    void sealedValueOpensToTheOriginalInTheSameContext() {
        SealedValue sealed = sealer.seal(SecretValue.of("s3cret-Värde!"), CONTEXT);

        assertThat(sealer.open(sealed, CONTEXT).reveal()).isEqualTo("s3cret-Värde!");
        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(Base64.getDecoder().decode(sealed.nonce())).hasSize(12);
    }

    @Test
    void sealingTheSameValueTwiceUsesFreshNonces() {
        SealedValue a = sealer.seal(SecretValue.of("same"), CONTEXT);
        SealedValue b = sealer.seal(SecretValue.of("same"), CONTEXT);

        assertThat(a.nonce()).isNotEqualTo(b.nonce());
        assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
    }

    @Test
    void theCiphertextDoesNotContainThePlainValue() {
        SealedValue sealed = sealer.seal(SecretValue.of("plain-text-password"), CONTEXT);
        byte[] raw = Base64.getDecoder().decode(sealed.ciphertext());

        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain("plain-text-password");
        assertThat(sealed.toString()).doesNotContain(sealed.ciphertext());
    }

    @Test
    void tamperedCiphertextFailsAuthentication() {
        SealedValue sealed = sealer.seal(SecretValue.of("value"), CONTEXT);
        byte[] raw = Base64.getDecoder().decode(sealed.ciphertext());
        raw[0] ^= 0x01;
        SealedValue tampered = new SealedValue(sealed.keyId(), sealed.nonce(), Base64.getEncoder().encodeToString(raw));

        assertAuthenticationFails(tampered, CONTEXT);
    }

    @Test
    void tamperedTagFailsAuthentication() {
        SealedValue sealed = sealer.seal(SecretValue.of("value"), CONTEXT);
        byte[] raw = Base64.getDecoder().decode(sealed.ciphertext());
        raw[raw.length - 1] ^= (byte) 0x80;
        SealedValue tampered = new SealedValue(sealed.keyId(), sealed.nonce(), Base64.getEncoder().encodeToString(raw));

        assertAuthenticationFails(tampered, CONTEXT);
    }

    @Test
    void tamperedNonceFailsAuthentication() {
        SealedValue sealed = sealer.seal(SecretValue.of("value"), CONTEXT);
        byte[] nonce = Base64.getDecoder().decode(sealed.nonce());
        nonce[5] ^= 0x10;
        SealedValue tampered = new SealedValue(sealed.keyId(), Base64.getEncoder().encodeToString(nonce),
                sealed.ciphertext());

        assertAuthenticationFails(tampered, CONTEXT);
    }

    @Test
    void aValueSealedForOneRotationCredentialOrFieldDoesNotOpenForAnother() {
        SealedValue sealed = sealer.seal(SecretValue.of("value"), CONTEXT);

        assertAuthenticationFails(sealed, new SealContext("rot-2", CREDENTIAL, "new/password"));
        assertAuthenticationFails(sealed, new SealContext("rot-1", CredentialRef.parse("team-b/redis-admin"), "new/password"));
        assertAuthenticationFails(sealed, new SealContext("rot-1", CREDENTIAL, "previous/password"));
    }

    @Test
    void aKeyIdSwappedToAnotherKnownKeyFailsAuthentication() {
        Sealer both = new Sealer("redis", Keyring.of("k1", ordered("k1", k1, "k2", k2)));
        SealedValue sealed = both.seal(SecretValue.of("value"), CONTEXT);
        SealedValue relabelled = new SealedValue("k2", sealed.nonce(), sealed.ciphertext());

        assertThatThrownBy(() -> both.open(relabelled, CONTEXT))
                .isInstanceOf(SealingException.class)
                .extracting(e -> ((SealingException) e).reason())
                .isEqualTo(SealingException.Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void anUnknownKeyIdSaysWhichKeyIsMissing() {
        SealedValue sealed = sealer.seal(SecretValue.of("value"), CONTEXT);
        SealedValue foreign = new SealedValue("k9", sealed.nonce(), sealed.ciphertext());

        assertThatThrownBy(() -> sealer.open(foreign, CONTEXT))
                .isInstanceOf(SealingException.class)
                .hasMessageContaining("'k9'")
                .hasMessageContaining("[k1]")
                .extracting(e -> ((SealingException) e).reason())
                .isEqualTo(SealingException.Reason.UNKNOWN_KEY);
    }

    @Test
    void afterTheSealingKeyRotatesOldValuesStillOpenAndNewOnesUseTheNewKey() {
        SealedValue old = sealer.seal(SecretValue.of("sealed-before"), CONTEXT);
        Sealer rotated = new Sealer("redis", Keyring.of("k2", ordered("k2", k2, "k1", k1)));

        assertThat(rotated.open(old, CONTEXT).reveal()).isEqualTo("sealed-before");
        assertThat(rotated.seal(SecretValue.of("after"), CONTEXT).keyId()).isEqualTo("k2");
    }

    @Test
    void malformedValuesAreReportedAsSuch() {
        SealedValue sealed = sealer.seal(SecretValue.of("value"), CONTEXT);

        assertThatThrownBy(() -> sealer.open(new SealedValue("k1", "not base64!", sealed.ciphertext()), CONTEXT))
                .extracting(e -> ((SealingException) e).reason()).isEqualTo(SealingException.Reason.MALFORMED);
        assertThatThrownBy(() -> sealer.open(new SealedValue("k1", "AAAA", sealed.ciphertext()), CONTEXT))
                .extracting(e -> ((SealingException) e).reason()).isEqualTo(SealingException.Reason.MALFORMED);
        assertThatThrownBy(() -> sealer.open(new SealedValue("k1", sealed.nonce(), "AAAA"), CONTEXT))
                .extracting(e -> ((SealingException) e).reason()).isEqualTo(SealingException.Reason.MALFORMED);
    }

    @Test
    void keyringsRefuseWrongKeysAndAMissingPrimary() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> Keyring.of("k1", Map.of("k1", shortKey)))
                .hasMessageContaining("has 16 bytes; AES-256 needs 32");
        assertThatThrownBy(() -> Keyring.of("k3", Map.of("k1", k1)))
                .hasMessageContaining("primary key 'k3' is not among the keys [k1]");
        assertThatThrownBy(() -> Keyring.of("k1", Map.of("k1", "%%%")))
                .hasMessageContaining("is not base64");
        assertThatThrownBy(() -> Keyring.of("bad id", Map.of("bad id", k1)))
                .hasMessageContaining("key id 'bad id'");
    }

    @Test
    void keyringsLoadFromTheCompactFormAndFromSecretData() {
        Keyring parsed = Keyring.parse("k2=" + k2 + ",k1=" + k1);
        assertThat(parsed.primaryId()).isEqualTo("k2");
        assertThat(parsed.keyIds()).containsExactly("k2", "k1");

        Keyring fromSecret = Keyring.fromSecretData(Map.of("primary", "k1\n".getBytes(StandardCharsets.US_ASCII),
                "k1", k1.getBytes(StandardCharsets.US_ASCII), "k2", k2.getBytes(StandardCharsets.US_ASCII)));
        assertThat(fromSecret.primaryId()).isEqualTo("k1");
        assertThat(fromSecret.toString()).doesNotContain(k1).doesNotContain(k2);

        assertThatThrownBy(() -> Keyring.fromSecretData(Map.of("k1", k1.getBytes(StandardCharsets.US_ASCII))))
                .hasMessageContaining("no 'primary' entry");
        assertThatThrownBy(() -> Keyring.parse(" ")).hasMessageContaining("no sealing keys configured");
    }

    @Test
    void credentialMaterialSealsEachFieldUnderItsOwnContext() {
        CredentialMaterial material = CredentialMaterial.usernameAndPassword("admin@example.com", SecretValue.of("pw"));
        Map<String, SealedValue> sealed = material.seal(sealer, "rot-1", CREDENTIAL, CredentialMaterial.Purpose.NEW);

        assertThat(sealed).containsOnlyKeys("username", "password");
        CredentialMaterial opened = CredentialMaterial.open(sealer, sealed, "rot-1", CREDENTIAL,
                CredentialMaterial.Purpose.NEW);
        assertThat(opened.require(CredentialField.PASSWORD).reveal()).isEqualTo("pw");
        assertThatThrownBy(() -> CredentialMaterial.open(sealer, sealed, "rot-1", CREDENTIAL,
                CredentialMaterial.Purpose.PREVIOUS)).isInstanceOf(SealingException.class);
        // Swapping fields between slots is caught too: the field name is bound into each seal.
        Map<String, SealedValue> swapped = Map.of("username", sealed.get("password"), "password", sealed.get("username"));
        assertThatThrownBy(() -> CredentialMaterial.open(sealer, swapped, "rot-1", CREDENTIAL,
                CredentialMaterial.Purpose.NEW)).isInstanceOf(SealingException.class);
        assertThat(material.toString()).isEqualTo("CredentialMaterial[username, password][redacted]");
    }

    private void assertAuthenticationFails(SealedValue value, SealContext context) {
        assertThatThrownBy(() -> sealer.open(value, context))
                .isInstanceOf(SealingException.class)
                .hasMessageContaining("does not authenticate")
                .extracting(e -> ((SealingException) e).reason())
                .isEqualTo(SealingException.Reason.AUTHENTICATION_FAILED);
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
