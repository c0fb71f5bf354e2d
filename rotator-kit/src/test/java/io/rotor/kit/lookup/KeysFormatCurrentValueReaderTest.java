package io.rotor.kit.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.kit.participant.PlatformException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeysFormatCurrentValueReaderTest {

    private static final CredentialRef REF = CredentialRef.parse("redis/rec-admin");
    private final Map<String, Map<String, byte[]>> secrets = new HashMap<>();
    private final KeysFormatCurrentValueReader reader = new KeysFormatCurrentValueReader(new SecretLookup() {
        @Override
        public Optional<Map<String, byte[]>> data(String namespace, String name) {
            return Optional.ofNullable(secrets.get(namespace + "/" + name));
        }

        @Override
        public Optional<Map<String, byte[]>> credentialData(CredentialRef credential, String name) {
            return data(credential.namespace(), name);
        }
    });

    private static ManagedCredentialSpec spec(SecretTarget first) {
        return new ManagedCredentialSpec(Platform.REDIS_ENTERPRISE, Strategy.DUAL_PASSWORD,
                new Endpoint("https://rec:9443", null, null, null, null), new Identity("admin@example.com", null, null),
                List.of(first), null, null, null, null, null, null, null, null);
    }

    private static SecretTarget keys(Map<String, String> keys) {
        return new SecretTarget("rec", SecretFormat.KEYS, keys, null, null, null, null);
    }

    private void secret(Map<String, String> data) {
        Map<String, byte[]> bytes = new HashMap<>();
        data.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
        secrets.put("redis/rec", bytes);
    }

    @Test
    void readsEveryMappedFieldExactlyAsStored() {
        secret(Map.of("user", "admin@example.com", "pass", "s3cret\n"));

        CredentialMaterial current = reader.read(REF, spec(keys(Map.of("username", "user", "password", "pass"))));

        assertThat(current.require(CredentialField.USERNAME).reveal()).isEqualTo("admin@example.com");
        assertThat(current.require(CredentialField.PASSWORD).reveal()).isEqualTo("s3cret\n");
    }

    @Test
    void aMissingPasswordKeyIsNamed() {
        secret(Map.of("user", "admin@example.com"));

        assertThatThrownBy(() -> reader.read(REF, spec(keys(Map.of("username", "user", "password", "pass")))))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.reason().code()).isEqualTo("secret_key_missing");
                    assertThat(e.retriable()).isFalse();
                })
                .hasMessageContaining("redis/rec").hasMessageContaining("'pass'");
    }

    @Test
    void aMissingSecretIsNamed() {
        assertThatThrownBy(() -> reader.read(REF, spec(keys(Map.of("password", "password")))))
                .isInstanceOfSatisfying(PlatformException.class,
                        e -> assertThat(e.reason().code()).isEqualTo("secret_not_found"))
                .hasMessageContaining("redis/rec");
    }

    @Test
    void otherFormatsAreRefusedClearly() {
        SecretTarget template = new SecretTarget("rec", SecretFormat.TEMPLATE, null, "url", null, "{{password}}", null);

        assertThatThrownBy(() -> reader.read(REF, spec(template)))
                .isInstanceOfSatisfying(PlatformException.class,
                        e -> assertThat(e.reason().code()).isEqualTo("secret_format_unsupported"))
                .hasMessageContaining("format keys");
    }
}
