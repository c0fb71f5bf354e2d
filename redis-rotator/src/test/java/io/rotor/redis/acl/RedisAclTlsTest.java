package io.rotor.redis.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretKeyRef;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.redis.InMemorySecretLookup;
import io.rotor.testkit.rec.TestCertificateAuthority;
import io.rotor.testkit.redis.AclUser;
import io.rotor.testkit.redis.RedisServerProcess;
import io.rotor.testkit.redis.RespClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ACL rotation over TLS (a node listed with a CA bundle in {@code endpoint.caSecretRef} is reached with TLS). Needs
 * a redis-server built with TLS, as Debian's is; the Redis 6.2 binary embedded in the tests has none.
 */
class RedisAclTlsTest {

    private final TestCertificateAuthority ca = TestCertificateAuthority.create("redis test CA");
    private final InMemorySecretLookup secrets = new InMemorySecretLookup()
            .putBytes("shop", "redis-ca", "ca.crt", ca.certificatePemBytes());
    private RedisServerProcess redis;
    private int tlsPort;

    @BeforeEach
    void start() throws IOException {
        TestCertificateAuthority.Issued server = ca.issue("localhost", "127.0.0.1");
        Path dir = Files.createTempDirectory("redis-tls-");
        Path cert = Files.writeString(dir.resolve("server.crt"), server.certificatePem(), StandardCharsets.US_ASCII);
        Path key = Files.writeString(dir.resolve("server.key"), server.keyPem(), StandardCharsets.US_ASCII);
        Path caFile = Files.writeString(dir.resolve("ca.crt"), ca.certificatePem(), StandardCharsets.US_ASCII);
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            tlsPort = probe.getLocalPort();
        }
        try {
            redis = RedisServerProcess.builder().aclUser(AclUser.fullAccess("app", "old-pw"))
                    .config("tls-port", Integer.toString(tlsPort))
                    .config("tls-cert-file", cert.toString())
                    .config("tls-key-file", key.toString())
                    .config("tls-ca-cert-file", caFile.toString())
                    .config("tls-auth-clients", "no")
                    .start();
        } catch (RuntimeException noTlsInThisBuild) {
            Assumptions.abort("this redis-server has no TLS support: " + noTlsInThisBuild.getMessage());
        }
    }

    @AfterEach
    void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    private Rotation rotation(SecretKeyRef ca, Boolean insecure) {
        ManagedCredentialSpec spec = new ManagedCredentialSpec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD,
                new Endpoint(null, List.of("localhost:" + tlsPort), ca, insecure, null),
                new Identity("app", null, null),
                List.of(new SecretTarget("app-redis", SecretFormat.KEYS, Map.of("password", "password"), null, null,
                        null, null)),
                null, null, null, null, null, null, null, null);
        return new Rotation("tls-1", CredentialRef.parse("shop/app"), spec,
                CredentialMaterial.password(SecretValue.of("new-pw")),
                CredentialMaterial.password(SecretValue.of("old-pw")));
    }

    @Test
    void aNodeIsRotatedOverTlsTrustingTheCredentialsCaBundle() {
        RedisAclAdapter adapter = new RedisAclAdapter(secrets);
        Rotation r = rotation(new SecretKeyRef("redis-ca", "ca.crt"), null);

        adapter.apply(r);
        adapter.verify(r);

        try (RespClient plain = redis.connect()) {
            assertThat(plain.auth("app", "new-pw")).isTrue();
        }
    }

    @Test
    void aNodeWhoseCertificateTheBundleDoesNotTrustIsAPermanentFailure() {
        secrets.putBytes("shop", "redis-ca", "ca.crt", TestCertificateAuthority.create("other").certificatePemBytes());
        RedisAclAdapter adapter = new RedisAclAdapter(secrets);

        assertThatThrownBy(() -> adapter.apply(rotation(new SecretKeyRef("redis-ca", "ca.crt"), null)))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AclFailure.TLS_UNTRUSTED);
                    assertThat(e.retriable()).isFalse();
                }).hasMessageContaining("localhost:" + tlsPort);
    }
}
