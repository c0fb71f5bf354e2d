package io.rotor.deploy;

import static io.rotor.deploy.RenderedManifestsTest.byKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.contracts.event.Topics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every service is scraped, its silence alerts, and consumer lag is measured and alerts. */
class MonitoringTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceIsScrapedOnceOnThePortThatServesItsHealthAndMetrics(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        ObjectNode monitor = named(byKind(objects, "PodMonitor"), "rotor");
        JsonNode endpoints = monitor.path("spec").path("podMetricsEndpoints");
        for (ObjectNode d : byKind(objects, "Deployment")) {
            String name = d.path("metadata").path("name").asText();
            assertThat(Selectors.matches(monitor.path("spec").path("selector"), Selectors.podLabels(d))).as(name).isTrue();
            JsonNode container = d.path("spec").path("template").path("spec").path("containers").get(0);
            Set<String> ports = new TreeSet<>();
            container.path("ports").forEach(p -> ports.add(p.path("name").asText()));
            List<JsonNode> scraped = stream(endpoints).filter(e -> ports.contains(e.path("port").asText())).toList();
            assertThat(scraped).as(name).singleElement().satisfies(e -> {
                // Quarkus serves metrics where it serves health: the port the liveness probe uses.
                assertThat(e.path("port").asText()).isEqualTo(container.path("livenessProbe").path("httpGet").path("port").asText());
                assertThat(e.path("path").asText()).isEqualTo("/q/metrics");
                assertThat(e.path("relabelings").toString()).contains("__meta_kubernetes_pod_label_app_kubernetes_io_name")
                        .contains("\"targetLabel\":\"service\"");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theSilenceOfEveryServiceAndOfTheLagExporterAlerts(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        Map<String, String> absent = new TreeMap<>();
        for (JsonNode rule : rules(objects)) {
            if (rule.path("alert").asText().equals("RotorMetricsAbsent")) {
                absent.put(rule.path("labels").path("service").asText(), rule.path("expr").asText());
            }
        }
        Set<String> expected = new TreeSet<>(RenderedManifestsTest.names(byKind(objects, "Deployment")));
        expected.add("kafka-exporter");
        assertThat(absent.keySet()).isEqualTo(expected);
        absent.forEach((service, expr) -> {
            assertThat(expr).as(service).startsWith("absent(");
            if (!service.equals("kafka-exporter")) {
                assertThat(expr).as(service).isEqualTo("absent(up{namespace=\"rotor\", service=\"" + service + "\"} == 1)");
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void consumerLagOfEveryRotorGroupIsExportedScrapedAndAlerted(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        JsonNode exporter = byKind(objects, "Kafka").get(0).path("spec").path("kafkaExporter");
        assertThat(exporter.isObject()).as("spec.kafkaExporter").isTrue();
        // kafka_exporter matches its filters unanchored (Go's MatchString).
        Pattern groups = Pattern.compile(exporter.path("groupRegex").asText());
        Pattern topics = Pattern.compile(exporter.path("topicRegex").asText());
        RenderedManifestsTest.CONSUMER_GROUP_PREFIXES.values().stream().flatMap(List::stream)
                .forEach(prefix -> assertThat(groups.matcher(prefix + "-events").find()).as(prefix).isTrue());
        Topics.ALL.forEach(t -> assertThat(topics.matcher(t).find()).as(t).isTrue());
        assertThat(topics.matcher("__consumer_offsets").find()).isFalse();
        assertThat(groups.matcher("some-other-app").find()).isFalse();

        ObjectNode monitor = named(byKind(objects, "PodMonitor"), "rotor-kafka-exporter");
        assertThat(Selectors.matches(monitor.path("spec").path("selector"), Map.of("strimzi.io/cluster", "rotor-kafka",
                "strimzi.io/kind", "Kafka", "strimzi.io/name", "rotor-kafka-kafka-exporter"))).isTrue();
        assertThat(monitor.path("spec").path("podMetricsEndpoints").get(0).path("port").asText()).isEqualTo("tcp-prometheus");

        List<JsonNode> lag = rules(objects).stream().filter(r -> r.path("alert").asText().equals("RotorConsumerLag")).toList();
        assertThat(lag).singleElement().satisfies(r -> assertThat(r.path("expr").asText())
                .contains("kafka_consumergroup_lag{namespace=\"rotor\", consumergroup=~\"rotor-.*\"}"));
    }

    @Test
    void theBaseAppliesWhereThePrometheusOperatorIsAbsentAndTheOverlaysMonitor() throws Exception {
        Set<String> baseGroups = Kustomize.render("../base").stream()
                .map(o -> o.path("apiVersion").asText()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(baseGroups).noneMatch(v -> v.startsWith("monitoring.coreos.com/"));
        for (String overlay : List.of("dev", "prod")) {
            List<ObjectNode> objects = Kustomize.render(overlay);
            assertThat(byKind(objects, "PodMonitor")).as(overlay).hasSize(2);
            assertThat(byKind(objects, "PrometheusRule")).as(overlay).hasSize(1);
        }
    }

    private static List<JsonNode> rules(List<ObjectNode> objects) {
        return byKind(objects, "PrometheusRule").stream()
                .flatMap(r -> stream(r.path("spec").path("groups")))
                .flatMap(g -> stream(g.path("rules")))
                .toList();
    }

    private static ObjectNode named(List<ObjectNode> objects, String name) {
        return objects.stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
