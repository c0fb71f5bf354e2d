package io.rotor.contracts.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealingKeysTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SealContext CONTEXT = new SealContext("rot-1", CredentialRef.parse("team-a/db"),
            "new/password");

    @Test
    void aValueSealedForOneAudienceDoesNotOpenForAnotherEvenWithTheSameKey() {
        String sameKey = Keyring.generateKey(RANDOM);
        SealingKeys keys = SealingKeys.parse(Map.of("redis", "k1=" + sameKey, "openstack", "k1=" + sameKey));

        SealedValue forRedis = keys.sealerFor(Platform.REDIS_ACL).seal(SecretValue.of("v"), CONTEXT);

        assertThat(keys.sealerFor(Platform.REDIS_ENTERPRISE).open(forRedis, CONTEXT).reveal()).isEqualTo("v");
        assertThatThrownBy(() -> keys.sealerFor(Platform.OPENSTACK_KEYSTONE).open(forRedis, CONTEXT))
                .isInstanceOf(SealingException.class)
                .extracting(e -> ((SealingException) e).reason())
                .isEqualTo(SealingException.Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void whatAServiceLogsAboutItsKeyringsNamesKeyIdsButNoKey() {
        String key = Keyring.generateKey(RANDOM);
        SealingKeys keys = SealingKeys.parse(Map.of("redis", "k1=" + key));

        assertThat(keys.toString()).contains("redis").contains("k1").doesNotContain(key)
                .doesNotContain(key.substring(0, 12));
    }

    @Test
    void aServiceWithoutAnAudiencesKeyringCannotOpenItsValues() {
        SealingKeys rotator = SealingKeys.parse(Map.of("redis", "k1=" + Keyring.generateKey(RANDOM)));

        assertThatThrownBy(() -> rotator.sealerFor(Platform.CONFIGUI))
                .isInstanceOf(SealingException.class)
                .hasMessageContaining("'configui'")
                .hasMessageContaining("[redis]")
                .extracting(e -> ((SealingException) e).reason())
                .isEqualTo(SealingException.Reason.AUDIENCE_NOT_HELD);
        assertThatThrownBy(() -> SealingKeys.none().sealerFor(Platform.REDIS_ACL))
                .isInstanceOf(SealingException.class);
    }

    @Test
    void keyringsAreReadFromMountedSecretVolumes(@TempDir Path dir) throws Exception {
        Path redis = Files.createDirectories(dir.resolve("redis"));
        String k1 = Keyring.generateKey(RANDOM);
        String k2 = Keyring.generateKey(RANDOM);
        Files.writeString(redis.resolve("k1"), k1, StandardCharsets.US_ASCII);
        Files.writeString(redis.resolve("k2"), k2 + "\n", StandardCharsets.US_ASCII);
        Files.writeString(redis.resolve("primary"), "k2", StandardCharsets.US_ASCII);
        // What a Secret volume holds besides the keys.
        Files.createDirectories(redis.resolve("..2026_12_02_10_00_00.123"));
        Files.writeString(redis.resolve("..data"), "not a key", StandardCharsets.US_ASCII);

        SealingKeys keys = SealingKeys.fromDirectory(dir, Set.of("redis"));

        assertThat(keys.audiences()).containsExactly("redis");
        assertThat(keys.sealerFor("redis").keyring().primaryId()).isEqualTo("k2");
        assertThat(keys.sealerFor("redis").keyring().keyIds()).containsExactlyInAnyOrder("k1", "k2");
        assertThat(keys.toString()).doesNotContain(k1).doesNotContain(k2);
        assertThatThrownBy(() -> SealingKeys.fromDirectory(dir, Set.of("redis", "openstack")))
                .isInstanceOf(SealingException.class)
                .hasMessageContaining("no keyring for audience 'openstack'");
    }
}
