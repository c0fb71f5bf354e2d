package io.rotor.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** Choosing between a container and the in-JVM broker. */
class KafkaBrokersTest {

    private static final DockerProbe NO_DOCKER = () -> false;
    private static final DockerProbe DOCKER = () -> true;
    private static final DockerProbe MUST_NOT_BE_ASKED = () -> {
        throw new AssertionError("the Docker probe was consulted");
    };

    @Test
    void autoModeUsesTheEmbeddedBrokerWhenNoDockerEngineIsReachable() {
        assertThat(KafkaBrokers.resolve(BrokerMode.AUTO, NO_DOCKER)).isEqualTo(BrokerMode.EMBEDDED);
    }

    @Test
    void autoModeUsesTestcontainersWhenADockerEngineIsReachable() {
        assertThat(KafkaBrokers.resolve(BrokerMode.AUTO, DOCKER)).isEqualTo(BrokerMode.TESTCONTAINERS);
    }

    @Test
    void embeddedModeNeverProbesForDocker() {
        assertThat(KafkaBrokers.resolve(BrokerMode.EMBEDDED, MUST_NOT_BE_ASKED)).isEqualTo(BrokerMode.EMBEDDED);
    }

    @Test
    void testcontainersModeFailsFastAndSaysWhatToDoWhenNoDockerEngineIsReachable() {
        assertThatThrownBy(() -> KafkaBrokers.resolve(BrokerMode.TESTCONTAINERS, NO_DOCKER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("-Dkafka.broker=embedded");
    }

    @Test
    void testcontainersModeUsesTestcontainersWhenADockerEngineIsReachable() {
        assertThat(KafkaBrokers.resolve(BrokerMode.TESTCONTAINERS, DOCKER)).isEqualTo(BrokerMode.TESTCONTAINERS);
    }

    @Test
    void readsTheModeFromThePropertyIgnoringCaseAndDefaultsToAuto() {
        assertThat(BrokerMode.parse(null)).isEqualTo(BrokerMode.AUTO);
        assertThat(BrokerMode.parse(" ")).isEqualTo(BrokerMode.AUTO);
        assertThat(BrokerMode.parse("Embedded")).isEqualTo(BrokerMode.EMBEDDED);
        assertThat(BrokerMode.parse("testcontainers")).isEqualTo(BrokerMode.TESTCONTAINERS);
    }

    @Test
    void rejectsAnUnknownModeNamingTheValidOnes() {
        assertThatThrownBy(() -> BrokerMode.parse("docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dkafka.broker=docker")
                .hasMessageContaining("embedded");
    }

    @Test
    void dockerProbeAnswersWithinItsBudget() {
        Duration budget = Duration.ofSeconds(5);
        long startedAt = System.nanoTime();

        new TestcontainersDockerProbe(budget).isDockerAvailable();

        // Some slack over the budget for a loaded machine; a probe that ignored its budget would block far longer.
        assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(budget.plusSeconds(3));
    }

    /** The path this project's CI takes: no Docker engine, no property, and a broker all the same. */
    @Test
    void autoModeWithoutDockerStartsAWorkingEmbeddedBroker() throws Exception {
        assumeFalse(new TestcontainersDockerProbe(Duration.ofSeconds(10)).isDockerAvailable(),
                "a Docker engine is reachable here, so auto mode would start a container");

        try (KafkaBroker broker = KafkaBrokers.start(BrokerMode.AUTO)) {
            broker.createTopics(TopicSpec.of("testkit.auto-mode", 1));

            assertThat(broker).isInstanceOf(EmbeddedKafkaBroker.class);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                assertThat(admin.describeTopics(List.of("testkit.auto-mode")).allTopicNames()
                        .get(30, TimeUnit.SECONDS)).containsKey("testkit.auto-mode");
            }
        }
    }
}
