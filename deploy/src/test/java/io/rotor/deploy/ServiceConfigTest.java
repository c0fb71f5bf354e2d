package io.rotor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The manifests and the services' code agree: every environment variable a Deployment sets is read by its service,
 * and every consumer group a service joins is allowed by its KafkaUser. Reads the modules' sources next door.
 */
class ServiceConfigTest {

    static final Path REPOSITORY = Kustomize.ROOT.getParent().getParent();
    static final Map<String, String> MODULE_OF_IMAGE = Map.of(
            "orchestrator", "orchestrator", "redis-rotator", "redis-rotator", "openstack-rotator", "openstack-rotator",
            "configui-rotator", "configui-rotator", "k8s-secret-writer", "k8s-secret-writer");
    static final Pattern GROUP_ID = Pattern.compile("(?m)^mp\\.messaging\\.incoming\\.[^.]+\\.group\\.id=(\\S+)$");

    @Test
    void everyEnvironmentVariableADeploymentSetsIsReadByItsService() throws Exception {
        List<String> unread = new ArrayList<>();
        for (ObjectNode d : RenderedManifestsTest.byKind(Kustomize.render("prod"), "Deployment")) {
            JsonNode container = d.path("spec").path("template").path("spec").path("containers").get(0);
            String image = container.path("image").asText();
            String module = MODULE_OF_IMAGE.get(image.substring(image.lastIndexOf('/') + 1, image.lastIndexOf(':')));
            String config = configurationOf(module);
            for (JsonNode env : container.path("env")) {
                String name = env.path("name").asText();
                String key = name.toLowerCase(Locale.ROOT).replace('_', '.');
                boolean read = config.contains("${" + name) || config.contains(key)
                        || config.contains(key.replace('.', '-')) || name.startsWith("QUARKUS_")
                        || name.equals("KAFKA_BOOTSTRAP_SERVERS");
                if (!read) {
                    unread.add(d.path("metadata").path("name").asText() + ": " + name);
                }
            }
        }
        assertThat(unread).as("environment variables no configuration or README of the service mentions").isEmpty();
    }

    @Test
    void everyConsumerGroupAServiceJoinsIsAllowedByItsKafkaUser() throws Exception {
        for (String module : MODULE_OF_IMAGE.values()) {
            String properties = Files.readString(REPOSITORY.resolve(module).resolve("src/main/resources/application.properties"));
            Matcher m = GROUP_ID.matcher(properties);
            List<String> groups = new ArrayList<>();
            while (m.find()) {
                groups.add(m.group(1));
            }
            if (module.equals("orchestrator")) {
                // The saga owners' group is a configuration default in code (rotor.orchestrator.worker.group-id).
                groups.add("rotor-orchestrator");
            }
            assertThat(groups).as(module + " joins consumer groups").isNotEmpty();
            List<String> prefixes = RenderedManifestsTest.CONSUMER_GROUP_PREFIXES.get(module);
            assertThat(groups).as(module).allSatisfy(g -> assertThat(prefixes).anySatisfy(p -> assertThat(g).startsWith(p)));
        }
    }

    /** What a service can be configured by: its properties, the kit's defaults, and its README's configuration tables. */
    private static String configurationOf(String module) throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path p : List.of(REPOSITORY.resolve(module).resolve("src/main/resources/application.properties"),
                REPOSITORY.resolve("rotator-kit/src/main/resources/META-INF/microprofile-config.properties"),
                REPOSITORY.resolve(module).resolve("README.md"))) {
            if (Files.exists(p)) {
                all.append(Files.readString(p)).append('\n');
            }
        }
        return all.toString();
    }
}
