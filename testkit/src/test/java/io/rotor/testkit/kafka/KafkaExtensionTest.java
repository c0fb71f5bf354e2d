package io.rotor.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Which broker {@link KafkaExtension} hands to which class, and when it closes them: checked by running sample
 * classes in a JUnit engine of their own, which has its own root store and so its own shared broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaExtensionTest {

    private Map<String, String> brokerByClass;

    @BeforeAll
    void runSampleClasses() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(SharedSample.class), selectClass(PerClassLifecycleSample.class),
                        selectClass(IsolatedSample.class))
                .execute();
        results.testEvents().assertStatistics(stats -> stats.succeeded(4).failed(0));
        brokerByClass = results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
                .collect(Collectors.toMap(entry -> entry.get("class"), entry -> entry.get("broker")));
    }

    @Test
    void sharesOneBrokerBetweenTheClassesOfARun() {
        assertThat(brokerByClass.get("PerClassLifecycleSample")).isEqualTo(brokerByClass.get("SharedSample"));
    }

    @Test
    void givesAnIsolatedClassAndItsNestedClassesABrokerOfTheirOwn() {
        assertThat(brokerByClass.get("IsolatedSample"))
                .isNotEqualTo(brokerByClass.get("SharedSample"))
                .isEqualTo(brokerByClass.get("NestedInIsolatedSample"));
    }

    @Test
    void closesEveryBrokerByTheEndOfTheRun() {
        assertThat(brokerByClass).hasSize(4);
        for (String servers : List.copyOf(brokerByClass.values())) {
            int port = Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(LoopbackServerSockets.loopback(), port), 2_000);
                }
            }).as("connecting to %s after the run", servers).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void failsAClassWhoseAnnotatedFieldIsNotAString() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(WrongFieldTypeSample.class))
                .execute()
                .testEvents()
                .assertThatEvents()
                .haveExactly(1, finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(text -> text.contains("must be a non-final String"))));
    }

    @WithKafka
    static class SharedSample {

        @Test
        void reportsItsBroker(@KafkaBootstrapServers String servers, TestReporter reporter) {
            reporter.publishEntry(Map.of("class", "SharedSample", "broker", servers));
        }
    }

    // PER_CLASS creates the instance before beforeAll: field injection must start the broker itself.
    @WithKafka
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassLifecycleSample {

        @KafkaBootstrapServers
        String servers;

        @Test
        void reportsItsBroker(TestReporter reporter) {
            reporter.publishEntry(Map.of("class", "PerClassLifecycleSample", "broker", servers));
        }
    }

    @WithKafka(isolated = true)
    static class IsolatedSample {

        @Test
        void reportsItsBroker(KafkaBroker broker, TestReporter reporter) {
            reporter.publishEntry(Map.of("class", "IsolatedSample", "broker", broker.bootstrapServers()));
        }

        @Nested
        class NestedInIsolatedSample {

            @Test
            void reportsItsBroker(@KafkaBootstrapServers String servers, TestReporter reporter) {
                reporter.publishEntry(Map.of("class", "NestedInIsolatedSample", "broker", servers));
            }
        }
    }

    @WithKafka
    static class WrongFieldTypeSample {

        @KafkaBootstrapServers
        int servers;

        @Test
        void neverRuns() {
        }
    }
}
