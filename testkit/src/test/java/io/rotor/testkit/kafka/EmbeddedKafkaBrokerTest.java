package io.rotor.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The in-JVM broker on its own, without the JUnit extension. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedKafkaBrokerTest {

    private EmbeddedKafkaBroker broker;

    @BeforeAll
    void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void advertisesALoopbackAddress() {
        assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void acceptsConnectionsOnLoopback() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LoopbackServerSockets.loopback(), port(broker)), 2_000);
            assertThat(socket.isConnected()).isTrue();
        }
    }

    @Test
    void refusesConnectionsOnOtherInterfacesToBothBrokerAndController() throws SocketException {
        Optional<InetAddress> nonLoopback = nonLoopbackAddress();
        assumeTrue(nonLoopback.isPresent(), "this machine has no non-loopback IPv4 address to try");

        assertThat(broker.listenerPorts()).hasSize(2).allSatisfy(port -> assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(nonLoopback.get(), port), 2_000);
            }
        }).as("connecting to %s:%d", nonLoopback.get().getHostAddress(), port).isInstanceOf(ConnectException.class));
    }

    @Test
    void keepsAnExistingTopicWhenAskedForItAgainWithTheSamePartitions() throws Exception {
        broker.createTopics(TopicSpec.of("testkit.asked-twice", 2));

        assertThatCode(() -> broker.createTopics(TopicSpec.of("testkit.asked-twice", 2))).doesNotThrowAnyException();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertThat(admin.describeTopics(List.of("testkit.asked-twice")).allTopicNames().get()
                    .get("testkit.asked-twice").partitions()).hasSize(2);
        }
    }

    @Test
    void rejectsAnExistingTopicAskedForWithOtherPartitions() {
        broker.createTopics(TopicSpec.of("testkit.partition-mismatch", 2));

        assertThatThrownBy(() -> broker.createTopics(TopicSpec.of("testkit.partition-mismatch", 4)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("testkit.partition-mismatch")
                .hasMessageContaining("2 partitions");
    }

    @Test
    void deletesItsDataDirectoryOnClose() {
        EmbeddedKafkaBroker another = EmbeddedKafkaBroker.start();
        Path dataDirectory = another.dataDirectory();
        assertThat(dataDirectory).isDirectory();

        another.close();

        assertThat(Files.exists(dataDirectory)).isFalse();
    }

    @Test
    void stopsListeningOnCloseAndToleratesASecondClose() {
        EmbeddedKafkaBroker another = EmbeddedKafkaBroker.start();
        int port = port(another);

        another.close();

        assertThatCode(another::close).doesNotThrowAnyException();
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(LoopbackServerSockets.loopback(), port), 2_000);
            }
        }).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> another.createTopics(TopicSpec.of("testkit.too-late", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void keepsItsLoopbackListenersWhenPropertiesTryToOverrideThem() {
        // The listeners are the broker's own and win over overrides, so the node still binds loopback only.
        try (EmbeddedKafkaBroker overridden = EmbeddedKafkaBroker.start(Map.of("listeners", "BROKER://0.0.0.0:0"))) {
            assertThat(overridden.bootstrapServers()).startsWith("127.0.0.1:");
        }
    }

    static int port(KafkaBroker broker) {
        String servers = broker.bootstrapServers();
        return Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(nic -> {
                    try {
                        return nic.isUp() && !nic.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
    }
}
