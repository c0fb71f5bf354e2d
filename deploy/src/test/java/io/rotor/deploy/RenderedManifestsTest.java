package io.rotor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.contracts.event.Topics;
import io.rotor.contracts.policy.EndpointPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Renders each overlay as a user would and checks what would reach the cluster. */
class RenderedManifestsTest {

    /** The Quarkus services, by module; the pod restarter runs the secret writer's image with the writer off. */
    static final Set<String> SERVICE_IMAGES = Set.of("orchestrator", "redis-rotator", "openstack-rotator",
            "configui-rotator", "k8s-secret-writer");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyRenderedObjectParsesStrictlyIntoItsSchema(String overlay) throws Exception {
        List<String> problems = new ArrayList<>();
        StrictModel model = new StrictModel();
        for (ObjectNode object : Kustomize.render(overlay)) {
            problems.addAll(model.check(object));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theStrictCheckCatchesAMisspeltField() throws Exception {
        ObjectNode deployment = byKind(Kustomize.render("dev"), "Deployment").get(0).deepCopy();
        ((ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0))
                .put("imagePullPolicyy", "Always");
        ObjectNode topic = byKind(Kustomize.render("dev"), "KafkaTopic").get(0).deepCopy();
        ((ObjectNode) topic.path("spec")).put("partition", 3);

        assertThat(new StrictModel().check(deployment)).singleElement().asString().contains("imagePullPolicyy");
        assertThat(new StrictModel().check(topic)).singleElement().asString().contains("partition");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceRunsLockedDownWithProbesAndLimits(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        List<ObjectNode> deployments = byKind(objects, "Deployment");
        assertThat(deployments).extracting(d -> d.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("orchestrator", "redis-rotator", "openstack-rotator", "configui-rotator",
                        "secret-writer", "pod-restarter");
        for (ObjectNode d : deployments) {
            String name = d.path("metadata").path("name").asText();
            JsonNode pod = d.path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name).isTrue();
            assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).as(name)
                    .isEqualTo("RuntimeDefault");
            assertThat(pod.path("serviceAccountName").asText()).as(name).isEqualTo(name);
            JsonNode c = pod.path("containers").get(0);
            assertThat(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
            assertThat(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
            assertThat(c.path("securityContext").path("capabilities").path("drop").toString()).as(name).contains("ALL");
            assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
            assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
            assertThat(c.path("resources").path("requests").path("memory").isMissingNode()).as(name).isFalse();
            assertThat(c.path("resources").path("limits").path("memory").isMissingNode()).as(name).isFalse();
            String image = c.path("image").asText();
            // dev runs what was just built (a tag); prod exactly what was released (a digest, see ProductionTest).
            assertThat(image).as(name).matches(overlay.equals("prod")
                    ? "ghcr\\.io/rotor-io/[a-z0-9-]+@sha256:[0-9a-f]{64}" : "ghcr\\.io/rotor-io/[a-z0-9-]+:[0-9A-Za-z.-]+");
            assertThat(SERVICE_IMAGES).as(name).contains(image.substring(image.lastIndexOf('/') + 1).split("[:@]")[0]);
            Set<String> env = new HashSet<>();
            c.path("env").forEach(e -> env.add(e.path("name").asText()));
            assertThat(env).as(name).contains("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SASL_JAAS_CONFIG")
                    // The single keyring in an environment variable is gone: keyrings are mounted files per audience.
                    .doesNotContain("ROTOR_SEALING_KEYS");
        }
    }

    /** Which audiences' keyrings each service holds (DESIGN.md, "Trust model": who may open what). */
    static final Map<String, Set<String>> AUDIENCES = Map.of(
            "orchestrator", Set.of("redis", "openstack", "configui"),
            "redis-rotator", Set.of("redis"),
            "openstack-rotator", Set.of("openstack"),
            "configui-rotator", Set.of("configui"),
            "secret-writer", Set.of("redis", "openstack", "configui"),
            "pod-restarter", Set.of());

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachServiceMountsExactlyTheKeyringsOfItsAudiences(String overlay) throws Exception {
        Map<String, Set<String>> mounted = new TreeMap<>();
        for (ObjectNode d : byKind(Kustomize.render(overlay), "Deployment")) {
            String name = d.path("metadata").path("name").asText();
            JsonNode pod = d.path("spec").path("template").path("spec");
            JsonNode c = pod.path("containers").get(0);
            Map<String, JsonNode> volumes = volumes(pod);
            Set<String> audiences = new TreeSet<>();
            for (JsonNode mount : c.path("volumeMounts")) {
                JsonNode volume = volumes.get(mount.path("name").asText());
                String secret = volume.path("secret").path("secretName").asText("");
                String path = mount.path("mountPath").asText();
                if (secret.startsWith("rotor-sealing-") || path.startsWith(SEALING_DIR)) {
                    String audience = secret.substring("rotor-sealing-".length());
                    assertThat(path).as(name + " " + secret).isEqualTo(SEALING_DIR + "/" + audience);
                    assertThat(mount.path("readOnly").asBoolean()).as(name + " " + secret).isTrue();
                    // 0440: the service's group (fsGroup) reads the keys, nobody else.
                    assertThat(volume.path("secret").path("defaultMode").asInt()).as(name + " " + secret).isEqualTo(0440);
                    audiences.add(audience);
                }
            }
            mounted.put(name, audiences);
            Map<String, String> env = env(c);
            assertThat(env.get("ROTOR_SEALING_DIR")).as(name).isEqualTo(audiences.isEmpty() ? null : SEALING_DIR);
        }
        assertThat(mounted).isEqualTo(new TreeMap<>(AUDIENCES));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceThatContactsAnEndpointReadsTheEndpointPolicy(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        List<ObjectNode> policies = byKind(objects, "ConfigMap").stream()
                .filter(m -> m.path("metadata").path("name").asText().startsWith("rotor-endpoint-policy")).toList();
        assertThat(policies).hasSize(1);
        String policyName = policies.get(0).path("metadata").path("name").asText();
        Set<String> readers = new TreeSet<>();
        for (ObjectNode d : byKind(objects, "Deployment")) {
            String name = d.path("metadata").path("name").asText();
            JsonNode pod = d.path("spec").path("template").path("spec");
            JsonNode c = pod.path("containers").get(0);
            Map<String, JsonNode> volumes = volumes(pod);
            for (JsonNode mount : c.path("volumeMounts")) {
                JsonNode volume = volumes.get(mount.path("name").asText());
                if (volume.path("configMap").path("name").asText().equals(policyName)) {
                    assertThat(mount.path("mountPath").asText()).as(name).isEqualTo("/etc/rotor/policy");
                    assertThat(mount.path("readOnly").asBoolean()).as(name).isTrue();
                    assertThat(env(c).get("ROTOR_POLICY_FILE")).as(name).isEqualTo(
                            "/etc/rotor/policy/" + POLICY_KEY);
                    readers.add(name);
                }
            }
            if (!readers.contains(name)) {
                assertThat(env(c)).as(name).doesNotContainKey("ROTOR_POLICY_FILE");
            }
        }
        assertThat(readers).containsExactlyInAnyOrder("orchestrator", "redis-rotator", "openstack-rotator",
                "configui-rotator", "secret-writer");
    }

    @Test
    void theBasePolicyParsesAndAllowsNothing() throws Exception {
        ObjectNode configMap = byKind(Kustomize.render("prod"), "ConfigMap").stream()
                .filter(m -> m.path("metadata").path("name").asText().startsWith("rotor-endpoint-policy"))
                .findFirst().orElseThrow();
        assertThat(configMap.path("data").size()).isEqualTo(1);
        String yaml = configMap.path("data").path(POLICY_KEY).asText();
        EndpointPolicy policy = EndpointPolicy.parse(yaml.getBytes(StandardCharsets.UTF_8), "base");
        assertThat(policy.checkUrl("redis", "redis-enterprise", "https://rec.redis.svc.cluster.local:9443")).isPresent();
        assertThat(policy.checkUrl("any", EndpointPolicy.VAULT, "https://vault.vault.svc:8200")).isPresent();
        // What it documents parses and allows what it says.
        StringBuilder example = new StringBuilder();
        boolean inExample = false;
        for (String line : yaml.split("\n")) {
            if (line.equals("# namespaces:")) {
                inExample = true;
            }
            if (inExample && line.startsWith("#")) {
                example.append(line.length() > 2 ? line.substring(2) : "").append('\n');
            } else {
                inExample = false;
            }
        }
        EndpointPolicy documented = EndpointPolicy.parse(example.toString().getBytes(StandardCharsets.UTF_8), "comment");
        assertThat(documented.checkUrl("team-a", "redis-enterprise", "https://rec.team-a.svc:9443")).isEmpty();
        assertThat(documented.checkUrl("team-a", "configui", "http://portal.team-a.svc/admin")).isEmpty();
        assertThat(documented.checkUrl("team-b", "configui", "https://portal.team-a.svc/admin")).isPresent();
    }

    static final String SEALING_DIR = "/etc/rotor/sealing";
    static final String POLICY_KEY = "endpoint-policy.yaml";

    private static Map<String, JsonNode> volumes(JsonNode pod) {
        Map<String, JsonNode> out = new TreeMap<>();
        pod.path("volumes").forEach(v -> out.put(v.path("name").asText(), v));
        return out;
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> out = new TreeMap<>();
        container.path("env").forEach(e -> out.put(e.path("name").asText(), e.path("value").asText(null)));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachServiceHasItsOwnAccountRoleNetworkPolicyAndDisruptionBudget(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        Set<String> services = names(byKind(objects, "Deployment"));
        assertThat(names(byKind(objects, "ServiceAccount"))).isEqualTo(services);
        // Besides the namespace's own (default deny, API server, Strimzi) and the platforms' (NetworkPoliciesTest).
        assertThat(names(byKind(objects, "NetworkPolicy"))).containsAll(services);
        assertThat(names(byKind(objects, "PodDisruptionBudget"))).isEqualTo(services);
        Map<String, ObjectNode> bindings = byKind(objects, "ClusterRoleBinding").stream()
                .collect(Collectors.toMap(b -> b.path("subjects").get(0).path("name").asText(), Function.identity()));
        Set<String> roles = names(byKind(objects, "ClusterRole"));
        for (String service : services) {
            ObjectNode binding = bindings.get(service);
            assertThat(binding).as("binding for " + service).isNotNull();
            assertThat(binding.path("subjects").get(0).path("namespace").asText()).isEqualTo("rotor");
            assertThat(roles).contains(binding.path("roleRef").path("name").asText());
        }
    }

    /**
     * The login budget lives in Leases in Rotor's namespace (rotator-kit/README.md): each rotator may get, create and
     * update Leases there and nothing else, and no other service may touch them; the rotators learn the namespace from
     * the downward API.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachRotatorMayKeepItsLoginBudgetInLeasesOfRotorsNamespaceAndNothingMore(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        Set<String> rotators = Set.of("redis-rotator", "openstack-rotator", "configui-rotator");
        Map<String, ObjectNode> roles = byKind(objects, "Role").stream()
                .collect(Collectors.toMap(r -> r.path("metadata").path("name").asText(), Function.identity()));
        List<ObjectNode> bindings = byKind(objects, "RoleBinding");
        assertThat(bindings).hasSize(rotators.size());
        for (ObjectNode binding : bindings) {
            String subject = binding.path("subjects").get(0).path("name").asText();
            assertThat(rotators).contains(subject);
            assertThat(binding.path("metadata").path("namespace").asText()).isEqualTo("rotor");
            ObjectNode role = roles.get(binding.path("roleRef").path("name").asText());
            assertThat(role).as("role of " + subject).isNotNull();
            assertThat(role.path("metadata").path("namespace").asText()).isEqualTo("rotor");
            assertThat(resources(role)).containsExactly("leases");
            assertThat(verbs(role, "leases")).containsExactlyInAnyOrder("get", "create", "update");
            assertThat(role.path("rules").get(0).path("apiGroups").get(0).asText()).isEqualTo("coordination.k8s.io");
        }
        for (ObjectNode deployment : byKind(objects, "Deployment")) {
            String name = deployment.path("metadata").path("name").asText();
            JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
            boolean hasNamespace = false;
            for (JsonNode env : container.path("env")) {
                if (env.path("name").asText().equals("ROTOR_NAMESPACE")) {
                    hasNamespace = env.path("valueFrom").path("fieldRef").path("fieldPath").asText()
                            .equals("metadata.namespace");
                }
            }
            assertThat(hasNamespace).as(name + " reads Rotor's namespace").isEqualTo(rotators.contains(name));
        }
    }

    @Test
    void theWriterCannotTouchWorkloadsAndTheRestarterCannotReadSecrets() throws Exception {
        Map<String, ObjectNode> roles = byKind(Kustomize.render("prod"), "ClusterRole").stream()
                .collect(Collectors.toMap(r -> r.path("metadata").path("name").asText(), Function.identity()));
        assertThat(resources(roles.get("rotor-secret-writer"))).containsExactlyInAnyOrder("secrets", "managedcredentials");
        assertThat(resources(roles.get("rotor-pod-restarter"))).doesNotContain("secrets");
        // Both read the ManagedCredential back from the API instead of trusting the record; read only.
        assertThat(verbs(roles.get("rotor-secret-writer"), "managedcredentials")).containsExactly("get");
        assertThat(verbs(roles.get("rotor-pod-restarter"), "managedcredentials")).containsExactly("get");
        assertThat(resources(roles.get("rotor-orchestrator"))).doesNotContain("secrets");
        assertThat(verbs(roles.get("rotor-orchestrator"), "managedcredentials/status")).contains("update", "patch");
        assertThat(verbs(roles.get("rotor-orchestrator"), "managedcredentials")).doesNotContain("update", "patch", "delete");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theTopicsAreRotorsAndStateIsCompacted(String overlay) throws Exception {
        List<ObjectNode> topics = byKind(Kustomize.render(overlay), "KafkaTopic");
        assertThat(names(topics)).isEqualTo(new TreeSet<>(Topics.ALL));
        for (ObjectNode topic : topics) {
            String name = topic.path("metadata").path("name").asText();
            JsonNode config = topic.path("spec").path("config");
            if (name.equals(Topics.STATE)) {
                assertThat(config.path("cleanup.policy").asText()).isEqualTo("compact");
            } else {
                // Longer than any saga: a manual rotation may wait days for its operator.
                assertThat(config.path("retention.ms").asLong()).as(name).isGreaterThanOrEqualTo(7L * 24 * 3600 * 1000);
            }
            if (overlay.equals("prod")) {
                assertThat(topic.path("spec").path("replicas").asInt()).as(name).isEqualTo(3);
                assertThat(config.path("min.insync.replicas").asInt()).as(name).isEqualTo(2);
            }
        }
        // Keyed topics share a partition count, so a credential's requests, events and state sit on the same
        // partition number and one orchestrator replica owns all of them.
        assertThat(topics.stream().filter(t -> !t.path("metadata").path("name").asText().equals(Topics.DLQ))
                .map(t -> t.path("spec").path("partitions").asInt()).distinct()).hasSize(1);
    }

    @Test
    void prodRunsThreeKafkaNodesAndTwoReplicasOfEachService() throws Exception {
        List<ObjectNode> objects = Kustomize.render("prod");
        assertThat(byKind(objects, "KafkaNodePool").get(0).path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(byKind(objects, "Kafka").get(0).path("spec").path("kafka").path("config")
                .path("min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(byKind(objects, "Deployment")).allSatisfy(d -> assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(2));
        assertThat(byKind(objects, "PodDisruptionBudget"))
                .allSatisfy(p -> assertThat(p.path("spec").path("minAvailable").asInt()).isEqualTo(1));
        List<ObjectNode> dev = Kustomize.render("dev");
        assertThat(byKind(dev, "KafkaNodePool").get(0).path("spec").path("replicas").asInt()).isEqualTo(1);
    }

    @Test
    void eachKafkaUserMayUseOnlyRotorsTopicsAndItsOwnGroups() throws Exception {
        for (ObjectNode user : byKind(Kustomize.render("prod"), "KafkaUser")) {
            String name = user.path("metadata").path("name").asText();
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                switch (resource.path("type").asText()) {
                    case "topic" -> {
                        if (resource.path("patternType").asText().equals("prefix")) {
                            assertThat(resource.path("name").asText()).as(name).isEqualTo(Topics.STEPS_PREFIX);
                        } else {
                            assertThat(Topics.ALL).as(name).contains(resource.path("name").asText());
                        }
                    }
                    case "group" -> assertThat(resource.path("name").asText()).as(name)
                            .isIn(CONSUMER_GROUP_PREFIXES.get(name));
                    case "cluster" -> assertThat(acl.path("operations").toString()).isEqualTo("[\"IdempotentWrite\"]");
                    default -> throw new AssertionError(name + " has an ACL on " + resource);
                }
            }
        }
    }

    /** The prefixes of the group ids each KafkaUser's consumers use (see each module's application.properties). */
    static final Map<String, List<String>> CONSUMER_GROUP_PREFIXES = Map.of(
            "orchestrator", List.of("rotor-orchestrator"),
            "redis-rotator", List.of("rotor-redis-rotator"),
            "openstack-rotator", List.of("rotor-openstack-rotator"),
            "configui-rotator", List.of("rotor-configui-rotator"),
            "secret-writer", List.of("rotor-secret-writer"),
            "pod-restarter", List.of("rotor-pod-restarter"));

    static List<ObjectNode> byKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    static Set<String> names(List<ObjectNode> objects) {
        return objects.stream().map(o -> o.path("metadata").path("name").asText()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> resources(ObjectNode role) {
        List<String> out = new ArrayList<>();
        role.path("rules").forEach(r -> r.path("resources").forEach(x -> out.add(x.asText())));
        return out;
    }

    private static List<String> verbs(ObjectNode role, String resource) {
        List<String> out = new ArrayList<>();
        role.path("rules").forEach(r -> r.path("resources").forEach(x -> {
            if (x.asText().equals(resource)) {
                r.path("verbs").forEach(v -> out.add(v.asText()));
            }
        }));
        return out;
    }
}
