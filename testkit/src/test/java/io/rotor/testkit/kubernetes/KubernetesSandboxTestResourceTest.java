package io.rotor.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Drives the lifecycle manager the way Quarkus does (init, start, inject, stop) without booting an application:
 * testkit has no Quarkus application to boot.
 */
class KubernetesSandboxTestResourceTest {

    static final class FakeTest {
        @InjectKubernetesSandbox
        KubernetesSandbox sandbox;
        KubernetesSandbox notAnnotated;
    }

    @Test
    void startReturnsQuarkusClientConfigForAWorkingSandboxAndInjectsIt() {
        KubernetesSandboxTestResource resource = new KubernetesSandboxTestResource();
        resource.init(Map.of(KubernetesSandboxTestResource.NAMESPACE, "configui",
                KubernetesSandboxTestResource.LOAD, "k8s/configui.yaml"));
        try {
            Map<String, String> config = resource.start();

            assertThat(config).containsEntry("quarkus.kubernetes-client.namespace", "configui")
                    .containsEntry("quarkus.kubernetes-client.devservices.enabled", "false")
                    .containsKey("quarkus.kubernetes-client.trust-certs");
            String url = config.get("quarkus.kubernetes-client.api-server-url");
            assertThat(url).startsWith("http://127.0.0.1:");

            FakeTest test = new FakeTest();
            resource.inject(injector(test));
            assertThat(test.sandbox).isNotNull();
            assertThat(test.notAnnotated).isNull();

            Config clientConfig = new ConfigBuilder(Config.empty()).withMasterUrl(url)
                    .withNamespace(config.get("quarkus.kubernetes-client.namespace")).build();
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build()) {
                assertThat(client.secrets().withName("configui-user-secrets").get()).isNotNull();
                await().atMost(Duration.ofSeconds(20)).until(() -> KubectlRolloutStatus.of(
                        client.apps().deployments().withName("configui").get()).isComplete());
                assertThat(client.genericKubernetesResources(RotorCustomResources.managedCredentialContext()).list()
                        .getItems()).isEmpty();
            }
        } finally {
            resource.stop();
        }
    }

    private static QuarkusTestResourceLifecycleManager.TestInjector injector(Object testInstance) {
        return (value, predicate) -> {
            for (var field : testInstance.getClass().getDeclaredFields()) {
                if (predicate.test(field)) {
                    try {
                        field.setAccessible(true);
                        field.set(testInstance, value);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
    }
}
