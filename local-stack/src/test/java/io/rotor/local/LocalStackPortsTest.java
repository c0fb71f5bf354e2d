package io.rotor.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local stack's ports and the orchestrator's settings there (the static token exists only in this stack). */
class LocalStackPortsTest {

    @Test
    void theOrchestratorsManagementInterfaceHasAPortOfItsOwnNextToTheServices() {
        Ports ports = Ports.fromBase(8080, 9092, 16443);
        List<Integer> all = List.of(ports.orchestrator(), ports.redisRotator(), ports.openstackRotator(),
                ports.configuiRotator(), ports.secretWriter(), ports.orchestratorManagement(), ports.podRestarter(),
                ports.kafka(), ports.kubernetes());
        assertThat(all).doesNotHaveDuplicates();
        assertThat(ports.orchestratorManagement()).isEqualTo(8085);
        assertThat(ports.podRestarter()).isEqualTo(8086);
    }

    @Test
    void aTakenManagementPortIsNamedBeforeAnythingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // 0: not checked; only the management port is in question.
            Ports ports = new Ports(0, 0, 0, 0, 0, taken.getLocalPort(), 0, 0, 0);
            assertThatThrownBy(ports::requireFree).isInstanceOf(LauncherException.class)
                    .hasMessageContaining(taken.getLocalPort() + " (orchestrator health and metrics)");
        }
    }

    @Test
    void theOrchestratorGetsTheLocalTokenAndItsManagementPortOnLoopback() {
        Ports ports = Ports.fromBase(18080, 19092, 26443);
        Map<String, String> env = LocalStack.orchestratorEnv(ports, "t0k3n");
        assertThat(env).containsEntry("ROTOR_ORCHESTRATOR_API_LOCAL_TOKEN", "t0k3n")
                .containsEntry("QUARKUS_MANAGEMENT_PORT", "18085")
                .containsEntry("QUARKUS_MANAGEMENT_HOST", "127.0.0.1")
                .doesNotContainKey("ROTOR_ORCHESTRATOR_API_TOKEN")
                // The API and the dashboard stay plain HTTP on the service's port in the local stack.
                .doesNotContainKeys("QUARKUS_CONFIG_LOCATIONS", "QUARKUS_HTTP_SSL_PORT", "QUARKUS_HTTP_PORT");
    }
}
