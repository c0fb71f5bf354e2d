package io.rotor.deploy;

import static io.rotor.deploy.RenderedManifestsTest.byKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the orchestrator's API is reached and who may use it: TLS from a mounted Secret with the settings in
 * api-tls.properties, health and metrics on the management port, no static token on a cluster, the reviews the
 * orchestrator asks the API server for, and the ClusterRoles users are bound to.
 */
class ApiAccessTest {

    static final Path API_TLS_PROPERTIES = Kustomize.ROOT.resolve("base/orchestrator/api-tls.properties");
    static final String TLS_SECRET = "rotor-orchestrator-tls";
    static final String API_CONFIG = "rotor-orchestrator-api-config";

    /** The settings the orchestrator's own tests start it with (they read this file): exactly these. */
    static final Map<String, String> API_TLS_SETTINGS = Map.of(
            "quarkus.http.ssl-port", "8443",
            "quarkus.http.insecure-requests", "disabled",
            "quarkus.http.tls-configuration-name", "api",
            "quarkus.tls.api.key-store.pem.0.cert", "/etc/rotor/tls/tls.crt",
            "quarkus.tls.api.key-store.pem.0.key", "/etc/rotor/tls/tls.key",
            "quarkus.tls.api.reload-period", "1h");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theOrchestratorHasNoStaticTokenAndMountsItsCertificateAndApiSettings(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        JsonNode pod = orchestratorPod(objects);
        JsonNode c = pod.path("containers").get(0);
        Map<String, JsonNode> env = env(c);
        assertThat(env).doesNotContainKeys("ROTOR_ORCHESTRATOR_API_TOKEN", "ROTOR_ORCHESTRATOR_API_LOCAL_TOKEN",
                "QUARKUS_HTTP_PORT");
        assertThat(c.has("envFrom")).as("envFrom").isFalse();
        // The Secret that held the old static token is referenced nowhere: on a cluster nothing creates it.
        for (ObjectNode o : objects) {
            assertThat(o.toString()).as(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
                    .doesNotContain("\"rotor-orchestrator-api\"");
        }

        Map<String, JsonNode> volumes = volumes(pod);
        Map<String, JsonNode> mounts = new TreeMap<>();
        c.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m));

        JsonNode tls = only(volumes, v -> v.path("secret").path("secretName").asText().equals(TLS_SECRET));
        JsonNode tlsMount = mounts.get(tls.path("name").asText());
        assertThat(tlsMount.path("mountPath").asText()).isEqualTo("/etc/rotor/tls");
        assertThat(tlsMount.path("readOnly").asBoolean()).isTrue();
        // A whole-directory mount: with subPath the kubelet would never update a renewed certificate.
        assertThat(tlsMount.has("subPath") || tlsMount.has("subPathExpr")).isFalse();
        assertThat(tls.path("secret").path("defaultMode").asInt()).as("the key readable by the group only").isEqualTo(0440);

        ObjectNode configMap = byKind(objects, "ConfigMap").stream()
                .filter(m -> m.path("metadata").path("name").asText().startsWith(API_CONFIG + "-")).findFirst().orElseThrow();
        JsonNode config = only(volumes, v -> v.path("configMap").path("name").asText()
                .equals(configMap.path("metadata").path("name").asText()));
        JsonNode configMount = mounts.get(config.path("name").asText());
        assertThat(configMount.path("mountPath").asText()).isEqualTo("/etc/rotor/api-config");
        assertThat(configMount.path("readOnly").asBoolean()).isTrue();
        assertThat(configMap.path("data").size()).isEqualTo(1);
        assertThat(configMap.path("data").path("api-tls.properties").asText())
                .isEqualTo(Files.readString(API_TLS_PROPERTIES));
        assertThat(env.get("QUARKUS_CONFIG_LOCATIONS").path("value").asText())
                .isEqualTo(configMount.path("mountPath").asText() + "/api-tls.properties");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theApiIsTlsOnlyAndHealthIsOnTheManagementPort(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        JsonNode c = orchestratorPod(objects).path("containers").get(0);
        Map<String, Integer> ports = new TreeMap<>();
        c.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        assertThat(ports).isEqualTo(Map.of("https", 8443, "management", 9000));
        assertThat(env(c).get("QUARKUS_MANAGEMENT_PORT").path("value").asText()).isEqualTo("9000");

        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = c.path(probe).path("httpGet");
            assertThat(get.path("path").asText()).as(probe).startsWith("/q/health/");
            String port = get.path("port").asText();
            assertThat(ports.getOrDefault(port, get.path("port").asInt(-1))).as(probe + " port").isEqualTo(9000);
            // The management interface does not use the API's TLS configuration.
            assertThat(get.path("scheme").asText("HTTP")).as(probe + " scheme").isEqualTo("HTTP");
        }

        Properties tls = apiTlsProperties();
        assertThat(Integer.parseInt(tls.getProperty("quarkus.http.ssl-port"))).isEqualTo(ports.get("https"));

        ObjectNode service = byKind(objects, "Service").stream()
                .filter(s -> s.path("metadata").path("name").asText().equals("orchestrator")).findFirst().orElseThrow();
        Map<Integer, Integer> routes = new TreeMap<>();
        for (JsonNode p : service.path("spec").path("ports")) {
            JsonNode target = p.path("targetPort");
            routes.put(p.path("port").asInt(), target.isInt() ? target.asInt() : ports.get(target.asText()));
        }
        assertThat(routes).isEqualTo(Map.of(443, 8443, 9000, 9000));
    }

    @Test
    void apiTlsPropertiesHoldsExactlyTheSettingsAndPointsIntoTheTlsMount() throws Exception {
        Properties properties = apiTlsProperties();
        Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().forEach(k -> settings.put(k, properties.getProperty(k)));
        assertThat(settings).isEqualTo(new TreeMap<>(API_TLS_SETTINGS));
        // Nothing but settings, comments and blank lines (the orchestrator's test reads the file as it is).
        for (String line : Files.readAllLines(API_TLS_PROPERTIES)) {
            assertThat(line.isBlank() || line.startsWith("#") || line.matches("[a-z0-9.-]+=\\S+")).as(line).isTrue();
        }

        JsonNode pod = orchestratorPod(Kustomize.render("prod"));
        Map<String, JsonNode> volumes = volumes(pod);
        String mountPath = null;
        for (JsonNode m : pod.path("containers").get(0).path("volumeMounts")) {
            if (volumes.get(m.path("name").asText()).path("secret").path("secretName").asText().equals(TLS_SECRET)) {
                mountPath = m.path("mountPath").asText();
            }
        }
        assertThat(mountPath).isNotNull();
        for (String key : List.of("quarkus.tls.api.key-store.pem.0.cert", "quarkus.tls.api.key-store.pem.0.key")) {
            Path file = Path.of(properties.getProperty(key));
            assertThat(file.getParent()).as(key).isEqualTo(Path.of(mountPath));
            // The names a kubernetes.io/tls Secret has.
            assertThat(file.getFileName().toString()).as(key).isIn("tls.crt", "tls.key");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void usersReachTheApiPortAndOnlyMonitoringTheManagementPort(String overlay) throws Exception {
        ObjectNode policy = byKind(Kustomize.render(overlay), "NetworkPolicy").stream()
                .filter(p -> p.path("metadata").path("name").asText().equals("orchestrator")).findFirst().orElseThrow();
        Map<Integer, String> from = new TreeMap<>();
        for (JsonNode rule : policy.path("spec").path("ingress")) {
            for (JsonNode port : rule.path("ports")) {
                from.put(port.path("port").asInt(), rule.path("from").toString());
            }
        }
        assertThat(from.keySet()).containsExactlyInAnyOrder(8443, 9000);
        assertThat(from.get(8443)).as("the API, from wherever users are").isEqualTo("");
        assertThat(from.get(9000)).isEqualTo(
                "[{\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":\"monitoring\"}}}]");
    }

    @Test
    void theOrchestratorMayReviewTokensAndAccess() throws Exception {
        ObjectNode role = clusterRoles(Kustomize.render("prod")).get("rotor-orchestrator");
        assertThat(grants(role, "authentication.k8s.io", "tokenreviews")).containsExactly("create");
        assertThat(grants(role, "authorization.k8s.io", "subjectaccessreviews")).containsExactly("create");
        // Asking is all: no other review kinds, and nothing on Rotor's resources beyond what it had.
        assertThat(grants(role, "authorization.k8s.io", "selfsubjectaccessreviews")).isEmpty();
        assertThat(grants(role, "rotor.io", "managedcredentials")).containsExactlyInAnyOrder("get", "list", "watch");
    }

    static final Map<String, Set<String>> USER_ROLES = Map.of(
            "rotor-viewer", Set.of("get", "list", "watch"),
            "rotor-rotator", Set.of("get", "list", "watch", "rotate"),
            "rotor-operator", Set.of("get", "list", "watch", "rotate", "confirm"));

    @Test
    void theUserRolesGrantExactlyTheirVerbsOnManagedCredentials() throws Exception {
        Map<String, ObjectNode> roles = clusterRoles(Kustomize.render("prod"));
        for (Map.Entry<String, Set<String>> expected : USER_ROLES.entrySet()) {
            ObjectNode role = roles.get(expected.getKey());
            assertThat(role).as(expected.getKey()).isNotNull();
            List<JsonNode> rules = effectiveRules(role, roles.values());
            Set<String> verbs = new TreeSet<>();
            for (JsonNode rule : rules) {
                assertThat(strings(rule.path("apiGroups"))).as(expected.getKey()).containsExactly("rotor.io");
                assertThat(strings(rule.path("resources"))).as(expected.getKey()).containsExactly("managedcredentials");
                assertThat(rule.has("resourceNames") || rule.has("nonResourceURLs")).as(expected.getKey()).isFalse();
                verbs.addAll(strings(rule.path("verbs")));
            }
            assertThat(verbs).as(expected.getKey()).isEqualTo(new TreeSet<>(expected.getValue()));
        }
    }

    /**
     * What joins the built-in view, edit and admin roles (labels aggregate-to-*): reading only. Giving everyone who
     * holds edit or admin in a namespace the right to rotate or confirm would be a surprise (deploy/README.md).
     */
    @Test
    void onlyReadingJoinsTheBuiltInRoles() throws Exception {
        Map<String, ObjectNode> roles = clusterRoles(Kustomize.render("prod"));
        Set<String> aggregated = new TreeSet<>();
        for (ObjectNode role : roles.values()) {
            String name = role.path("metadata").path("name").asText();
            Set<String> labels = new TreeSet<>();
            role.path("metadata").path("labels").fieldNames().forEachRemaining(labels::add);
            if (labels.stream().noneMatch(l -> l.startsWith("rbac.authorization.k8s.io/aggregate-to-"))) {
                continue;
            }
            aggregated.add(name);
            for (JsonNode rule : effectiveRules(role, roles.values())) {
                assertThat(strings(rule.path("verbs"))).as(name).isSubsetOf("get", "list", "watch");
            }
        }
        assertThat(aggregated).containsExactly("rotor-viewer");
        assertThat(roles.get("rotor-viewer").path("metadata").path("labels").toString()).contains(
                "\"rbac.authorization.k8s.io/aggregate-to-view\":\"true\"",
                "\"rbac.authorization.k8s.io/aggregate-to-edit\":\"true\"",
                "\"rbac.authorization.k8s.io/aggregate-to-admin\":\"true\"");
    }

    /** The fields of cert-manager's Certificate spec the example may use (no typed model here to catch a typo). */
    static final Set<String> CERTIFICATE_SPEC_FIELDS = Set.of("secretName", "secretTemplate", "issuerRef", "dnsNames",
            "duration", "renewBefore", "usages", "privateKey", "commonName", "subject", "ipAddresses", "uris",
            "isCA", "keystores", "revisionHistoryLimit", "additionalOutputFormats", "encodeUsagesInRequest",
            "emailAddresses", "literalSubject", "nameConstraints", "otherNames", "renewBeforePercentage");

    @Test
    void theCertManagerExampleWritesTheMountedSecretForTheServicesNames() throws Exception {
        List<ObjectNode> objects = Kustomize.render("prod");
        assertThat(objects).as("the base needs no cert-manager").noneMatch(o -> o.path("apiVersion").asText()
                .startsWith("cert-manager.io/"));
        ObjectNode service = byKind(objects, "Service").stream()
                .filter(s -> s.path("metadata").path("name").asText().equals("orchestrator")).findFirst().orElseThrow();
        String name = service.path("metadata").path("name").asText();
        String namespace = service.path("metadata").path("namespace").asText();

        List<ObjectNode> example = Kustomize.read(Kustomize.ROOT.resolve("examples/tls/cert-manager.yaml"));
        assertThat(example).hasSize(1);
        ObjectNode certificate = example.get(0);
        assertThat(certificate.path("apiVersion").asText()).isEqualTo("cert-manager.io/v1");
        assertThat(certificate.path("kind").asText()).isEqualTo("Certificate");
        assertThat(certificate.path("metadata").path("namespace").asText()).isEqualTo(namespace);
        JsonNode spec = certificate.path("spec");
        Set<String> fields = new TreeSet<>();
        spec.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).isSubsetOf(CERTIFICATE_SPEC_FIELDS);
        assertThat(spec.path("secretName").asText()).isEqualTo(TLS_SECRET);
        assertThat(strings(spec.path("dnsNames"))).contains(name, name + "." + namespace, name + "." + namespace + ".svc",
                name + "." + namespace + ".svc.cluster.local");
        assertThat(spec.path("issuerRef").path("kind").asText()).isIn("Issuer", "ClusterIssuer");
        assertThat(spec.path("issuerRef").path("name").asText()).isNotBlank();
        assertThat(strings(spec.path("usages"))).contains("server auth");
    }

    static final Pattern BINDING = Pattern.compile("kubectl (?:-n \\S+ )?create (?:cluster)?rolebinding [^\\n]*?--clusterrole=(\\S+)");

    /** The README's "Who may rotate what" binds the roles the base ships, and covers a user, a group and a job. */
    @Test
    void theReadmeBindsTheRolesTheBaseShips() throws Exception {
        String readme = Files.readString(Kustomize.ROOT.getParent().resolve("README.md"));
        int start = readme.indexOf("## Who may rotate what");
        assertThat(start).isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> bound = new TreeSet<>();
        Matcher m = BINDING.matcher(section);
        while (m.find()) {
            bound.add(m.group(1));
        }
        assertThat(bound).containsExactlyInAnyOrderElementsOf(USER_ROLES.keySet());
        assertThat(section).contains("--user=", "--group=", "--serviceaccount=ci:deploy-bot",
                "kubectl -n ci create token deploy-bot");
    }

    static final Pattern OLD_TOKEN = Pattern.compile("ROTOR_ORCHESTRATOR_API_TOKEN|rotor-orchestrator-api(?![\\w-])");

    /** The old static token's variable and Secret are gone from everything deploy ships or runs. */
    @Test
    void nothingDeployShipsOrRunsUsesTheOldStaticToken() throws IOException {
        Path deploy = Kustomize.ROOT.getParent();
        List<String> found = new ArrayList<>();
        for (Path dir : List.of(deploy.resolve("kubernetes"), deploy.resolve("images"), deploy.resolve("src/main"))) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (OLD_TOKEN.matcher(Files.readString(file)).find()) {
                        found.add(deploy.relativize(file).toString());
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }

    /**
     * The rules a ClusterRole grants: its own, or, when it aggregates, those of every ClusterRole whose labels match
     * one of its selectors (as the API server's aggregation controller fills them in).
     */
    static List<JsonNode> effectiveRules(ObjectNode role, Iterable<ObjectNode> all) {
        List<JsonNode> rules = new ArrayList<>();
        JsonNode selectors = role.path("aggregationRule").path("clusterRoleSelectors");
        if (selectors.isMissingNode()) {
            role.path("rules").forEach(rules::add);
            return rules;
        }
        for (ObjectNode other : all) {
            if (other == role) {
                continue;
            }
            for (JsonNode selector : selectors) {
                assertThat(selector.has("matchExpressions")).as("only matchLabels selectors are computed here").isFalse();
                JsonNode wanted = selector.path("matchLabels");
                boolean matches = true;
                for (String label : (Iterable<String>) wanted::fieldNames) {
                    matches &= other.path("metadata").path("labels").path(label).asText().equals(wanted.path(label).asText());
                }
                if (matches) {
                    rules.addAll(effectiveRules(other, all));
                    break;
                }
            }
        }
        return rules;
    }

    private static Map<String, ObjectNode> clusterRoles(List<ObjectNode> objects) {
        return byKind(objects, "ClusterRole").stream()
                .collect(Collectors.toMap(r -> r.path("metadata").path("name").asText(), r -> r));
    }

    private static Set<String> grants(ObjectNode role, String group, String resource) {
        Set<String> verbs = new TreeSet<>();
        for (JsonNode rule : role.path("rules")) {
            if (strings(rule.path("apiGroups")).contains(group) && strings(rule.path("resources")).contains(resource)) {
                verbs.addAll(strings(rule.path("verbs")));
            }
        }
        return verbs;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static Properties apiTlsProperties() throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(API_TLS_PROPERTIES)));
        return properties;
    }

    private static JsonNode orchestratorPod(List<ObjectNode> objects) {
        return byKind(objects, "Deployment").stream()
                .filter(d -> d.path("metadata").path("name").asText().equals("orchestrator")).findFirst().orElseThrow()
                .path("spec").path("template").path("spec");
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> out = new HashMap<>();
        container.path("env").forEach(e -> out.put(e.path("name").asText(), e));
        return out;
    }

    private static Map<String, JsonNode> volumes(JsonNode pod) {
        Map<String, JsonNode> out = new TreeMap<>();
        pod.path("volumes").forEach(v -> out.put(v.path("name").asText(), v));
        return out;
    }

    private static JsonNode only(Map<String, JsonNode> volumes, Predicate<JsonNode> which) {
        List<JsonNode> matching = volumes.values().stream().filter(which).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }
}
