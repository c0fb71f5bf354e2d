package io.rotor.openstack.keystone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rotor.contracts.sealing.SecretValue;
import io.rotor.openstack.keystone.KeystoneException.Reason;
import io.rotor.testkit.keystone.FakeKeystone;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.keystone.KeystoneAdmin.TestUser;
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
        KeystoneAdmin admin = KeystoneAdmin.of(keystone, CaBundle.trusting(keystone.caCertificatePem()));
        user = admin.createUser(admin.uniqueName("tls"), "Pw-Tls-123456");
    }

    @AfterAll
    void stop() {
        keystone.close();
    }

    @Test
    void trustsTheGivenCaBundle() {
        KeystoneClient client = KeystoneClient.builder(keystone.url().toString())
                .trust(keystone.caCertificatePem()).build();

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
        KeystoneClient client = KeystoneClient.builder(keystone.url().toString()).trustEverything().build();

        assertThat(client.login(UserSelector.byId(user.id()), SecretValue.of(user.password()), null).userId())
                .isEqualTo(user.id());
    }
}
