package io.rotor.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayoutCurrentValueReaderTest {

    private static final CredentialRef REF = CredentialRef.parse("apps/nova");

    private final InMemorySecretLookup secrets = new InMemorySecretLookup();
    private final LayoutCurrentValueReader reader = new LayoutCurrentValueReader(secrets);

    @Test
    void readsTheNamedCloudOfACloudsYaml() {
        secrets.put("apps", "clouds", Map.of("clouds.yaml", """
                clouds:
                  other: {auth: {username: someone, password: not-this}}
                  prod:
                    auth:
                      username: nova
                      password: "Pw-In-Yaml-1"
                """));

        CredentialMaterial current = reader.read(REF, spec(new SecretTarget("clouds", SecretFormat.CLOUDS_YAML, null,
                null, "prod", null, null)));

        assertThat(current.require(CredentialField.PASSWORD).reveal()).isEqualTo("Pw-In-Yaml-1");
        assertThat(current.require(CredentialField.USERNAME).reveal()).isEqualTo("nova");
    }

    @Test
    void readsAnOpenrcFile() {
        secrets.put("apps", "rc", Map.of("openrc", "export OS_USERNAME=nova\nexport OS_PASSWORD='Pw-In-Rc-1'\n"));

        CredentialMaterial current = reader.read(REF, spec(new SecretTarget("rc", SecretFormat.OPENRC, null, null, null,
                null, null)));

        assertThat(current.require(CredentialField.PASSWORD).reveal()).isEqualTo("Pw-In-Rc-1");
    }

    @Test
    void readsPlainKeys() {
        secrets.put("apps", "plain", Map.of("pw", "Pw-In-Key-1"));

        CredentialMaterial current = reader.read(REF, spec(new SecretTarget("plain", SecretFormat.KEYS,
                Map.of("password", "pw"), null, null, null, null)));

        assertThat(current.require(CredentialField.PASSWORD).reveal()).isEqualTo("Pw-In-Key-1");
    }

    @Test
    void aMissingSecretIsPermanentAndNamed() {
        PlatformException e = catchThrowableOfType(PlatformException.class, () -> reader.read(REF,
                spec(new SecretTarget("absent", SecretFormat.CLOUDS_YAML, null, null, "prod", null, null))));

        assertThat(e.reason()).isEqualTo(KitFailure.SECRET_NOT_FOUND);
        assertThat(e.getMessage()).contains("apps/absent");
    }

    @Test
    void anUnknownCloudOrBrokenYamlIsPermanentAndQuotesNothing() {
        secrets.put("apps", "broken", Map.of("clouds.yaml", "clouds: {prod: {auth: {password: \"Pw-Secret-9\""));
        secrets.put("apps", "elsewhere", Map.of("clouds.yaml", "clouds: {dev: {auth: {password: Pw-Secret-9}}}"));

        PlatformException broken = catchThrowableOfType(PlatformException.class, () -> reader.read(REF,
                spec(new SecretTarget("broken", SecretFormat.CLOUDS_YAML, null, null, "prod", null, null))));
        PlatformException elsewhere = catchThrowableOfType(PlatformException.class, () -> reader.read(REF,
                spec(new SecretTarget("elsewhere", SecretFormat.CLOUDS_YAML, null, null, "prod", null, null))));

        assertThat(List.of(broken, elsewhere)).allSatisfy(e -> {
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).doesNotContain("Pw-Secret-9");
        });
    }

    @Test
    void aSecretWithoutAnyCredentialFieldIsPermanent() {
        secrets.put("apps", "empty", Map.of("clouds.yaml", "clouds: {prod: {auth: {auth_url: https://k/v3}}}"));

        PlatformException e = catchThrowableOfType(PlatformException.class, () -> reader.read(REF,
                spec(new SecretTarget("empty", SecretFormat.CLOUDS_YAML, null, null, "prod", null, null))));

        assertThat(e.reason()).isEqualTo(KitFailure.SECRET_KEY_MISSING);
        assertThat(e.getMessage()).contains("auth.password");
    }

    private static ManagedCredentialSpec spec(SecretTarget target) {
        return new ManagedCredentialSpec(Platform.OPENSTACK_KEYSTONE, Strategy.REPLACE,
                new Endpoint("https://keystone.example/v3", null, null, null, null), new Identity(null, "u1", null),
                List.of(target), null, null, null, null, null, null, null, null);
    }
}
