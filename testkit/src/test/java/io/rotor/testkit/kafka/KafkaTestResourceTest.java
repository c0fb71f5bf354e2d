package io.rotor.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** The Quarkus test resource's contract with Quarkus, without starting an application. */
class KafkaTestResourceTest {

    @Test
    void handsQuarkusTheBrokerWithRotorTopicsAndTurnsKafkaDevServicesOff() throws Exception {
        KafkaTestResource resource = new KafkaTestResource();
        Map<String, String> config = resource.start();
        try {
            assertThat(config).containsOnlyKeys("kafka.bootstrap.servers", "quarkus.kafka.devservices.enabled")
                    .containsEntry("quarkus.kafka.devservices.enabled", "false");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    config.get("kafka.bootstrap.servers")))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .containsAll(RotorTopics.all().stream().map(TopicSpec::name).toList());
            }
        } finally {
            resource.stop();
        }
    }

    @Test
    void stopsItsBrokerWhenQuarkusStopsTheResource() {
        KafkaTestResource resource = new KafkaTestResource();
        String servers = resource.start().get("kafka.bootstrap.servers");

        resource.stop();

        int port = Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(LoopbackServerSockets.loopback(), port), 2_000);
            }
        }).isInstanceOf(ConnectException.class);
        assertThatCode(resource::stop).as("a second stop").doesNotThrowAnyException();
    }
}
