package io.rotor.deploy;

import static io.rotor.deploy.RenderedManifestsTest.byKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What each pod in Rotor's namespace may connect to, computed the way the cluster does: the union of the egress rules
 * of every NetworkPolicy whose podSelector picks the pod, under a default deny.
 */
class NetworkPoliciesTest {

    /** Ports each service may reach by address (ipBlock): the API server's, and its platform's. */
    static final Map<String, Set<Integer>> ADDRESS_PORTS = Map.of(
            "orchestrator", Set.of(443, 6443),
            "redis-rotator", Set.of(443, 6443, 9443, 6379),
            "openstack-rotator", Set.of(443, 6443, 5000),
            "configui-rotator", Set.of(443, 6443),
            "secret-writer", Set.of(443, 6443, 8200),
            "pod-restarter", Set.of(443, 6443));

    /** The base's placeholder (RFC 5737 TEST-NET-1): an overlay that leaves it has not set its addresses. */
    static final String BASE_PLACEHOLDER = "192.0.2.";

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void aDefaultDenyCoversEveryPodInTheNamespace(String overlay) throws Exception {
        List<ObjectNode> denies = policies(overlay).stream()
                .filter(p -> p.path("spec").path("podSelector").isEmpty()).toList();
        assertThat(denies).singleElement().satisfies(p -> {
            assertThat(p.path("metadata").path("name").asText()).isEqualTo("default-deny");
            assertThat(p.path("spec").path("policyTypes").toString()).isEqualTo("[\"Ingress\",\"Egress\"]");
            assertThat(p.path("spec").has("ingress")).isFalse();
            assertThat(p.path("spec").has("egress")).isFalse();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachServiceReachesKafkaDnsAndByAddressOnlyTheApiServerAndItsPlatform(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        List<ObjectNode> policies = byKind(objects, "NetworkPolicy");
        Map<String, Set<Integer>> byAddress = new TreeMap<>();
        for (ObjectNode d : byKind(objects, "Deployment")) {
            String name = d.path("metadata").path("name").asText();
            Set<Integer> addressPorts = new TreeSet<>();
            Set<String> podPeers = new TreeSet<>();
            for (JsonNode rule : egressRules(policies, Selectors.podLabels(d))) {
                assertThat(rule.path("ports").isEmpty()).as(name + ": a rule without ports opens every port " + rule).isFalse();
                assertThat(rule.path("to").isEmpty()).as(name + ": a rule without peers opens every address " + rule).isFalse();
                for (JsonNode peer : rule.path("to")) {
                    if (peer.has("ipBlock")) {
                        rule.path("ports").forEach(p -> addressPorts.add(p.path("port").asInt()));
                    } else {
                        rule.path("ports").forEach(p -> podPeers.add(peer.path("podSelector").path("matchLabels") + ":" + p.path("port").asInt()));
                    }
                }
            }
            byAddress.put(name, addressPorts);
            assertThat(podPeers).as(name).containsExactlyInAnyOrder(
                    "{\"strimzi.io/cluster\":\"rotor-kafka\"}:9093",
                    "{\"k8s-app\":\"kube-dns\"}:53");
        }
        assertThat(byAddress).isEqualTo(new TreeMap<>(ADDRESS_PORTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theOverlaySetsEveryAddressAndNoneIsTheWholeInternet(String overlay) throws Exception {
        Map<String, String> cidrs = new TreeMap<>();
        for (ObjectNode p : policies(overlay)) {
            for (JsonNode rule : p.path("spec").path("egress")) {
                for (JsonNode peer : rule.path("to")) {
                    if (peer.has("ipBlock")) {
                        String cidr = peer.path("ipBlock").path("cidr").asText();
                        cidrs.put(p.path("metadata").path("name").asText(), cidr);
                        assertThat(cidr).doesNotEndWith("/0").doesNotStartWith(BASE_PLACEHOLDER);
                    }
                }
            }
        }
        assertThat(cidrs).containsOnlyKeys("kubernetes-api", "strimzi-entity-operator-api", "redis-rotator-platform",
                "openstack-rotator-platform", "configui-rotator-platform", "secret-writer-vault");
        // Rotor's services and Strimzi's entity operator call the same API server.
        assertThat(cidrs.get("strimzi-entity-operator-api")).isEqualTo(cidrs.get("kubernetes-api"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theKafkaListenerAdmitsExactlyRotorsServices(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        JsonNode listeners = byKind(objects, "Kafka").get(0).path("spec").path("kafka").path("listeners");
        assertThat(listeners).hasSize(1);
        JsonNode peers = listeners.get(0).path("networkPolicyPeers");
        assertThat(peers).singleElement().satisfies(peer -> assertThat(peer.has("namespaceSelector")).isFalse());
        JsonNode selector = peers.get(0).path("podSelector");
        Set<String> admitted = new TreeSet<>();
        for (ObjectNode d : byKind(objects, "Deployment")) {
            if (Selectors.matches(selector, Selectors.podLabels(d))) {
                admitted.add(d.path("metadata").path("name").asText());
            }
        }
        assertThat(admitted).isEqualTo(RenderedManifestsTest.names(byKind(objects, "Deployment")));
        // Not a pod that merely claims to be part of Rotor, and none of Strimzi's (they use the replication port).
        assertThat(Selectors.matches(selector, Map.of("app.kubernetes.io/part-of", "rotor", "app.kubernetes.io/name", "debug")))
                .isFalse();
        assertThat(Selectors.matches(selector, Map.of("strimzi.io/cluster", "rotor-kafka",
                "app.kubernetes.io/name", "entity-operator"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void strimzisPodsReachEachOtherDnsAndOnlyTheEntityOperatorTheApiServer(String overlay) throws Exception {
        List<ObjectNode> policies = policies(overlay);
        Map<String, String> broker = Map.of("strimzi.io/cluster", "rotor-kafka", "strimzi.io/name", "rotor-kafka-kafka");
        Map<String, String> entityOperator = Map.of("strimzi.io/cluster", "rotor-kafka",
                "strimzi.io/name", "rotor-kafka-entity-operator");
        for (Map<String, String> pod : List.of(broker, entityOperator)) {
            assertThat(egressRules(policies, pod)).anySatisfy(rule -> {
                assertThat(rule.path("to").toString()).isEqualTo("[{\"podSelector\":{\"matchLabels\":{\"strimzi.io/cluster\":\"rotor-kafka\"}}}]");
                assertThat(rule.has("ports")).isFalse();
            });
        }
        assertThat(egressRules(policies, broker)).noneMatch(rule -> rule.path("to").toString().contains("ipBlock"));
        assertThat(egressRules(policies, entityOperator)).anyMatch(rule -> rule.path("to").toString().contains("ipBlock"));
    }

    static List<ObjectNode> policies(String overlay) throws Exception {
        return byKind(Kustomize.render(overlay), "NetworkPolicy");
    }

    static List<JsonNode> egressRules(List<ObjectNode> policies, Map<String, String> podLabels) {
        return policies.stream()
                .filter(p -> Selectors.matches(p.path("spec").path("podSelector"), podLabels))
                .flatMap(p -> {
                    List<JsonNode> rules = new ArrayList<>();
                    p.path("spec").path("egress").forEach(rules::add);
                    return rules.stream();
                })
                .toList();
    }
}
