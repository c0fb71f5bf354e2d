package io.rotor.openstack.rotation;

import static io.rotor.openstack.rotation.KeystoneFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.openstack.InMemorySecretLookup;
import io.rotor.openstack.LayoutCurrentValueReader;
import io.rotor.openstack.keystone.KeystoneClient;
import io.rotor.openstack.keystone.UserSelector;
import io.rotor.testkit.keystone.FakeKeystone;
import io.rotor.testkit.keystone.Keystone;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.keystone.KeystoneAdmin.TestUser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin cloud's {@code auth_url} must pass the endpoint policy before its password is sent: a clouds.yaml written
 * for a host the policy does not list, or for plain http where the policy wants https, is refused with no request to
 * Keystone at all (Rotor would send the password to the credential's endpoint, not to auth_url, but a Secret that
 * names a Keystone Rotor may not talk to is not one it should use).
 */
class AdminCloudPolicyTest {

    /** http only to 127.0.0.1 (the fake); keystone.example in the credential's namespace over https only. */
    private static final EndpointPolicy POLICY = EndpointPolicy.parse("""
            namespaces:
              "*":
                openstack-keystone: {hosts: ["127.0.0.1"], allowHttp: true}
              apps:
                openstack-keystone: {hosts: ["keystone.example"]}
            """.getBytes(StandardCharsets.UTF_8), "test policy");

    private final FakeKeystone keystone = FakeKeystone.start();
    private final KeystoneAdmin admin = KeystoneAdmin.of(keystone);
    private final InMemorySecretLookup secrets = new InMemorySecretLookup();
    private final KeystoneAdapter adapter = new KeystoneAdapter(secrets,
            LoginBudget.inMemory(2, Duration.ofMinutes(15), keystone.clock()), new KeystoneTimers(keystone),
            new KeystoneSettings(2, Duration.ofMillis(1100), 3), POLICY);

    @AfterEach
    void stop() {
        keystone.close();
    }

    @Test
    void anAuthUrlOnAHostThePolicyDoesNotListIsRefusedBeforeAnyLogin() {
        TestUser user = admin.createUser(admin.uniqueName("victim"), "Pw-Current-123");
        adminCloud("https://evil.example/v3");
        long logins = logins();

        PlatformException e = catchThrowableOfType(PlatformException.class, () -> adapter.apply(rotation(user)));

        assertThat(e.reason()).isEqualTo(KeystoneFailure.ADMIN_CLOUD_ENDPOINT_NOT_ALLOWED);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("auth_url").contains("evil.example").contains("not allowed")
                .contains("Secret apps/keystone-admin").doesNotContain(keystone.adminPassword());
        assertUntouched(user, logins);
    }

    @Test
    void plainHttpWherePolicyWantsHttpsIsRefusedBeforeAnyLogin() {
        TestUser user = admin.createUser(admin.uniqueName("victim"), "Pw-Current-123");
        adminCloud("http://keystone.example/v3");
        long logins = logins();

        PlatformException e = catchThrowableOfType(PlatformException.class, () -> adapter.apply(rotation(user)));

        assertThat(e.reason()).isEqualTo(KeystoneFailure.ADMIN_CLOUD_ENDPOINT_NOT_ALLOWED);
        assertThat(e.getMessage()).contains("plain http").doesNotContain(keystone.adminPassword());
        assertUntouched(user, logins);
    }

    @Test
    void anAuthUrlInsideThePolicyIsUsedAsBefore() {
        TestUser user = admin.createUser(admin.uniqueName("reset"), "Pw-Current-123");
        adminCloud(keystone.url().toString());

        Applied applied = adapter.apply(rotation(user));

        assertThat(applied.changed()).isTrue();
        assertThat(applied.details()).containsEntry("mode", "admin");
        assertThat(keystone.passwordCount(user.id())).isEqualTo(2);
    }

    private void assertUntouched(TestUser user, long logins) {
        assertThat(logins()).as("logins Keystone saw").isEqualTo(logins);
        assertThat(keystone.requestCount("PATCH", "/v3/users/.*")).isZero();
        assertThat(keystone.passwordCount(user.id())).isEqualTo(1);
        assertThat(KeystoneClient.builder(keystone.url().toString()).build()
                .login(UserSelector.byId(user.id()), SecretValue.of("Pw-Current-123"), null).userId())
                .isEqualTo(user.id());
    }

    private long logins() {
        return keystone.requestCount("POST", "/v3/auth/tokens");
    }

    /** The admin Secret: Keystone's real admin login, its auth_url pointing at {@code authUrl}. */
    private void adminCloud(String authUrl) {
        String clouds = KeystoneFixtures.passwordClouds(keystone, "admin", Keystone.ADMIN_USER,
                keystone.adminPassword(), Keystone.ADMIN_PROJECT)
                .replace("auth_url: " + keystone.url() + "\n", "auth_url: " + authUrl + "\n");
        secrets.put(NAMESPACE, KeystoneFixtures.ADMIN_SECRET, Map.of("clouds.yaml", clouds));
    }

    /** An admin-mode password reset of {@code user}, whose Secret holds a password nobody knows any more. */
    private Rotation rotation(TestUser user) {
        String secretName = "creds-" + user.name();
        secrets.put(NAMESPACE, secretName, Map.of("clouds.yaml", KeystoneFixtures.passwordClouds(keystone,
                KeystoneFixtures.CLOUD, user.name(), "Pw-Forgotten-000", null)));
        ManagedCredentialSpec spec = KeystoneFixtures.spec(keystone, Strategy.REPLACE,
                new Identity(user.name(), null, "Default"), secretName, KeystoneFixtures.adminMode());
        CredentialRef ref = KeystoneFixtures.ref(secretName);
        return new Rotation("r-" + user.name(), ref, spec, CredentialMaterial.password(SecretValue.of("Pw-New-456")),
                new LayoutCurrentValueReader(secrets).read(ref, spec));
    }
}
