package io.rotor.openstack.keystone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rotor.contracts.sealing.SecretValue;
import io.rotor.openstack.keystone.KeystoneException.Reason;
import io.rotor.testkit.keystone.FakeKeystone;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.keystone.KeystoneAdmin.TestUser;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.kit.tls.EndpointTlsResolver;
import io.rotor.openstack.InMemorySecretLookup;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeystoneTlsTest {

    private FakeKeystone keystone;
    private TestUser user;

    @BeforeAll
    void start() {
        keystone = FakeKeystone.builder().tls().start();
        KeystoneAdmin admin = KeystoneAdmin.of(keystone, trusting());
        user = admin.createUser(admin.uniqueName("tls"), "Pw-Tls-123456");
    }

    private javax.net.ssl.SSLContext trusting() {
        return EndpointTlsResolver.trusting(keystone.caCertificatePem().getBytes(StandardCharsets.US_ASCII), "test CA");
    }

    @AfterAll
    void stop() {
        keystone.close();
    }

    @Test
    void trustsTheGivenCaBundle() {
        KeystoneClient client = KeystoneClient.builder(keystone.url().toString())
                .sslContext(trusting()).build();

        assertThat(client.login(UserSelector.byId(user.id()), SecretValue.of(user.password()), null).userId())
                .isEqualTo(user.id());
    }

    @Test
    void anUntrustedCertificateIsAPermanentTlsFailure() {
        KeystoneClient client = KeystoneClient.builder(keystone.url().toString()).build();

        KeystoneException e = catchThrowableOfType(KeystoneException.class,
                () -> client.login(UserSelector.byId(user.id()), SecretValue.of(user.password()), null));

        assertThat(e.reason()).isEqualTo(Reason.TLS);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("caSecretRef");
    }

    @Test
    void trustEverythingSkipsTheChecksWhenACredentialAsksForIt() {
        KeystoneClient client = KeystoneClient.builder(keystone.url().toString())
                .sslContext(new EndpointTlsResolver(new InMemorySecretLookup())
                        .resolve(CredentialRef.parse("ns/insecure"), new Endpoint(keystone.url().toString(), null, null,
                                true, null)).context()).build();

        assertThat(client.login(UserSelector.byId(user.id()), SecretValue.of(user.password()), null).userId())
                .isEqualTo(user.id());
    }
}
