package io.rotor.openstack.rotation;

import static io.rotor.openstack.rotation.KeystoneFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import io.rotor.kit.retry.LoginBudget;
import io.rotor.kit.tls.EndpointTlsResolver;
import io.rotor.openstack.InMemorySecretLookup;
import io.rotor.openstack.LayoutCurrentValueReader;
import io.rotor.openstack.TestTrust;
import io.rotor.testkit.keystone.FakeKeystone;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.keystone.KeystoneAdmin.TestUser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The adapter trusts exactly the credential's CA bundle (rule 8). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeystoneAdapterTlsTest {

    private final FakeKeystone keystone = FakeKeystone.builder().tls().start();
    private final KeystoneAdmin admin = KeystoneAdmin.of(keystone, EndpointTlsResolver.trusting(
            keystone.caCertificatePem().getBytes(StandardCharsets.US_ASCII), "test CA"));
    private final InMemorySecretLookup secrets = new InMemorySecretLookup()
            .put(NAMESPACE, "keystone-ca", Map.of("ca.pem", keystone.caCertificatePem()));
    private final KeystoneAdapter adapter = new KeystoneAdapter(secrets,
            LoginBudget.inMemory(2, Duration.ofMinutes(15), keystone.clock()), new KeystoneTimers(keystone),
            new KeystoneSettings(2, Duration.ofMillis(1100), 3), TestTrust.allowEverything());

    @AfterAll
    void stop() {
        keystone.close();
    }

    @Test
    void rotatesOverTlsTrustingTheCredentialsCaBundle() {
        TestUser user = admin.createUser(admin.uniqueName("tls"), "Pw-Current-123");
        Rotation r = rotation(user, new SecretKeyRef("keystone-ca", "ca.pem"));

        adapter.verify(r.withNewValue(adapter.apply(r).handOn()));
    }

    @Test
    void aKeystoneWhoseCertificateTheBundleDoesNotVouchForIsRefusedForGood() {
        TestUser user = admin.createUser(admin.uniqueName("tls"), "Pw-Current-123");
        Rotation r = rotation(user, null);

        PlatformException e = catchThrowableOfType(PlatformException.class, () -> adapter.apply(r));

        assertThat(e.reason()).isEqualTo(KeystoneFailure.TLS);
        assertThat(e.retriable()).isFalse();
    }

    private Rotation rotation(TestUser user, SecretKeyRef ca) {
        String secretName = "creds-" + user.name();
        secrets.put(NAMESPACE, secretName, Map.of("clouds.yaml", KeystoneFixtures.passwordClouds(keystone,
                KeystoneFixtures.CLOUD, user.name(), user.password(), null)));
        ManagedCredentialSpec spec = new ManagedCredentialSpec(Platform.OPENSTACK_KEYSTONE, Strategy.REPLACE,
                new Endpoint(keystone.url().toString(), null, ca, null, null), new Identity(null, user.id(), null),
                List.of(new SecretTarget(secretName, SecretFormat.CLOUDS_YAML, null, null, KeystoneFixtures.CLOUD,
                        null, null)), null, null, null, null, null, null, null, null);
        CredentialRef ref = KeystoneFixtures.ref(secretName);
        return new Rotation("r-" + user.name(), ref, spec, CredentialMaterial.password(SecretValue.of("Pw-Next-456")),
                new LayoutCurrentValueReader(secrets).read(ref, spec));
    }
}
