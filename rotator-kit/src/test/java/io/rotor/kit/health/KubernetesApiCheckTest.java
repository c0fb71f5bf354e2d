package io.rotor.kit.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class KubernetesApiCheckTest {

    @Test
    void upWhileTheApiServerAnswersAndDownWithTheReasonOnceItIsGone() {
        KubernetesSandbox sandbox = KubernetesSandbox.builder().withoutController().start();
        KubernetesClient client = sandbox.newClient();
        KubernetesApiCheck check = new KubernetesApiCheck(client);
        try {
            HealthCheckResponse up = check.call();
            assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            assertThat(up.getData().orElseThrow()).containsEntry("version", "v1.33.0-rotor-sandbox");

            sandbox.close();

            HealthCheckResponse down = check.call();
            assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(String.valueOf(down.getData().orElseThrow().get("error"))).isNotBlank();
        } finally {
            client.close();
            sandbox.close();
        }
    }

    @Test
    void downWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + port)
                .withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            HealthCheckResponse down = new KubernetesApiCheck(client).call();
            assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(down.getData().orElseThrow()).containsEntry("server", "http://127.0.0.1:" + port + "/");
        }
    }
}
