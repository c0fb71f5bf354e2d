package io.rotor.deploy;

import static io.rotor.deploy.RenderedManifestsTest.byKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a production install needs to start, survive a node or zone, and run exactly the released images. */
class ProductionTest {

    static final Pattern DIGEST = Pattern.compile("@(sha256:[0-9a-f]{64})$");
    static final String PLACEHOLDER_DIGEST = "sha256:" + "0".repeat(64);

    /**
     * The release sets the digests (deploy/README.md, "Pinning images") and checks with {@code -Drotor.release=true},
     * which refuses the placeholders the repository carries.
     */
    @Test
    void prodRunsImagesPinnedByDigest() throws Exception {
        Map<String, String> digestByImage = new TreeMap<>();
        for (ObjectNode d : byKind(Kustomize.render("prod"), "Deployment")) {
            String name = d.path("metadata").path("name").asText();
            String image = d.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText();
            Matcher digest = DIGEST.matcher(image);
            assertThat(digest.find()).as(name + ": " + image).isTrue();
            String repository = image.substring(0, digest.start());
            String previous = digestByImage.put(repository, digest.group(1));
            // secret-writer and pod-restarter run one image: one digest.
            assertThat(previous == null || previous.equals(digest.group(1))).as(repository).isTrue();
            if (Boolean.getBoolean("rotor.release")) {
                assertThat(digest.group(1)).as(name + ": set the released image's digest in overlays/prod")
                        .isNotEqualTo(PLACEHOLDER_DIGEST);
            }
        }
        assertThat(digestByImage).hasSize(RenderedManifestsTest.SERVICE_IMAGES.size());
    }

    @Test
    void prodSpreadsEachServiceAndTheKafkaNodesOverHostsAndZones() throws Exception {
        List<ObjectNode> objects = Kustomize.render("prod");
        for (ObjectNode d : byKind(objects, "Deployment")) {
            String name = d.path("metadata").path("name").asText();
            Map<String, JsonNode> byKey = byTopologyKey(d.path("spec").path("template").path("spec"));
            assertThat(byKey).as(name).containsOnlyKeys("kubernetes.io/hostname", "topology.kubernetes.io/zone");
            assertThat(byKey.get("kubernetes.io/hostname").path("whenUnsatisfiable").asText()).isEqualTo("DoNotSchedule");
            for (JsonNode c : byKey.values()) {
                assertThat(c.path("maxSkew").asInt()).isEqualTo(1);
                assertThat(Selectors.matches(c.path("labelSelector"), Selectors.podLabels(d))).as(name).isTrue();
                // Without it one selector for all six would count every Rotor pod, not this Deployment's.
                assertThat(c.path("matchLabelKeys").toString()).as(name).contains("\"app.kubernetes.io/name\"");
            }
        }
        JsonNode pool = byKind(objects, "KafkaNodePool").get(0).path("spec").path("template").path("pod");
        assertThat(byTopologyKey(pool)).containsOnlyKeys("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        assertThat(byKind(Kustomize.render("dev"), "Deployment")).allSatisfy(d ->
                assertThat(d.path("spec").path("template").path("spec").has("topologySpreadConstraints")).isFalse());
    }

    /**
     * A pod whose Secret does not exist never starts. Every Secret a Deployment needs is made by Strimzi (the KafkaUsers'
     * and the cluster CA's) or by a command in the README's "Deploy to a cluster" steps.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everySecretAServiceNeedsIsCreatedByTheReadmeStepsOrByStrimzi(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        Set<String> created = secretsCreatedByTheDeploySteps();
        assertThat(created).contains("rotor-orchestrator-tls", "rotor-sealing-redis");
        Set<String> strimzi = new TreeSet<>(RenderedManifestsTest.names(byKind(objects, "KafkaUser")));
        strimzi.add(byKind(objects, "Kafka").get(0).path("metadata").path("name").asText() + "-cluster-ca-cert");
        for (ObjectNode d : byKind(objects, "Deployment")) {
            String name = d.path("metadata").path("name").asText();
            for (String secret : requiredSecrets(d.path("spec").path("template").path("spec"))) {
                assertThat(created.contains(secret) || strimzi.contains(secret))
                        .as(name + " needs Secret " + secret + ", which neither the README's steps nor Strimzi create").isTrue();
            }
        }
    }

    @Test
    void theOrchestratorHoldsNoLeaseGrant() throws Exception {
        ObjectNode role = byKind(Kustomize.render("prod"), "ClusterRole").stream()
                .filter(r -> r.path("metadata").path("name").asText().equals("rotor-orchestrator")).findFirst().orElseThrow();
        // The orchestrator's code takes no Lease: system-tests saw the grant never exercised, so it went.
        assertThat(role.path("rules").toString()).doesNotContain("coordination.k8s.io").doesNotContain("leases");
    }

    static Set<String> secretsCreatedByTheDeploySteps() throws Exception {
        String readme = Files.readString(Kustomize.ROOT.getParent().resolve("README.md"));
        int start = readme.indexOf("\n## Deploy to a cluster\n");
        String steps = readme.substring(start, readme.indexOf("\n### ", start));
        Set<String> created = new TreeSet<>();
        Pattern create = Pattern.compile("create secret \\w+ ([\\w$-]+)");
        Matcher loop = Pattern.compile("for (\\w+) in ([\\w ]+); do(.*?)done", Pattern.DOTALL).matcher(steps);
        while (loop.find()) {
            Matcher m = create.matcher(loop.group(3));
            while (m.find()) {
                for (String value : loop.group(2).trim().split(" +")) {
                    created.add(m.group(1).replace("$" + loop.group(1), value));
                }
            }
        }
        Matcher m = create.matcher(steps);
        while (m.find()) {
            if (!m.group(1).contains("$")) {
                created.add(m.group(1));
            }
        }
        return created;
    }

    private static Set<String> requiredSecrets(JsonNode pod) {
        Set<String> out = new TreeSet<>();
        for (JsonNode v : pod.path("volumes")) {
            if (v.has("secret") && !v.path("secret").path("optional").asBoolean()) {
                out.add(v.path("secret").path("secretName").asText());
            }
        }
        for (JsonNode c : pod.path("containers")) {
            for (JsonNode e : c.path("env")) {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                if (!ref.isMissingNode() && !ref.path("optional").asBoolean()) {
                    out.add(ref.path("name").asText());
                }
            }
            for (JsonNode e : c.path("envFrom")) {
                if (e.has("secretRef") && !e.path("secretRef").path("optional").asBoolean()) {
                    out.add(e.path("secretRef").path("name").asText());
                }
            }
        }
        return out;
    }

    private static Map<String, JsonNode> byTopologyKey(JsonNode podSpec) {
        Map<String, JsonNode> out = new TreeMap<>();
        podSpec.path("topologySpreadConstraints").forEach(c -> out.put(c.path("topologyKey").asText(), c));
        return out;
    }
}
