package io.rotor.kit.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.Strategy;
import io.rotor.testkit.kubernetes.KubernetesSandboxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CurrentCredentialMockTest {

    @RegisterExtension
    static final KubernetesSandboxExtension K8S = KubernetesSandboxExtension.with(b -> b.withoutController());

    @Test
    void readsTheCurrentValueFromTheFirstSecret() {
        K8S.client().secrets().resource(new SecretBuilder().withNewMetadata().withName("first").endMetadata()
                .addToStringData("clouds.yaml", CloudsYamlLayoutTest.THREE_CLOUDS).build()).create();
        CredentialRef ref = new CredentialRef(K8S.sandbox().namespace(), "keystone-app");

        assertThat(CurrentCredential.require(K8S.client(), ref, spec("first"), CredentialField.PASSWORD).reveal())
                .isEqualTo("old-prod-secret");
    }

    @Test
    void aMissingSecretIsAClearFailure() {
        CredentialRef ref = new CredentialRef(K8S.sandbox().namespace(), "keystone-app");

        assertThatThrownBy(() -> CurrentCredential.read(K8S.client(), ref, spec("absent")))
                .isInstanceOf(SecretLayoutException.class).hasMessageContaining("absent").hasMessageContaining("does not exist");
    }

    @Test
    void secretDataDecodesBase64AndFoldsInStringData() {
        Secret secret = new SecretBuilder().addToData("a", "aGVsbG8=").addToStringData("b", "world").build();

        Map<String, byte[]> data = SecretData.of(secret);

        assertThat(Layouts.text(data, "a")).isEqualTo("hello");
        assertThat(Layouts.text(data, "b")).isEqualTo("world");
        assertThat(SecretData.encode(data)).containsEntry("a", "aGVsbG8=").containsEntry("b", "d29ybGQ=");
        assertThat(SecretData.same(data, SecretData.of(secret))).isTrue();
        assertThat(SecretData.same(data, Layouts.data("a", "hello"))).isFalse();
    }

    private static ManagedCredentialSpec spec(String secret) {
        return new ManagedCredentialSpec(Platform.OPENSTACK_KEYSTONE, Strategy.REPLACE, null, null, List.of(
                new SecretTarget(secret, SecretFormat.CLOUDS_YAML, null, null, "prod", null, null),
                new SecretTarget("second", SecretFormat.OPENRC, null, null, null, null, null)),
                null, null, null, null, null, null, null, null);
    }
}
