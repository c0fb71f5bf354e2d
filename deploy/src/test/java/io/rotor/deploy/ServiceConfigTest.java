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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The manifests and the services' code agree: every environment variable a Deployment sets is read by its service,
 * and every consumer group a service joins and every topic it subscribes to is allowed by its KafkaUser. Reads the
 * modules' sources next door.
 */
class ServiceConfigTest {

    static final Path REPOSITORY = Kustomize.ROOT.getParent().getParent();
    static final Map<String, String> MODULE_OF_IMAGE = Map.of(
            "orchestrator", "orchestrator", "redis-rotator", "redis-rotator", "openstack-rotator", "openstack-rotator",
            "configui-rotator", "configui-rotator", "k8s-secret-writer", "k8s-secret-writer");
    static final Pattern GROUP_ID = Pattern.compile("(?m)^mp\\.messaging\\.incoming\\.([^.]+)\\.group\\.id=(\\S+)$");
    static final Pattern CHANNEL_TOPICS = Pattern.compile("(?m)^mp\\.messaging\\.incoming\\.([^.]+)\\.topics?=(\\S+)$");

    @Test
    void everyEnvironmentVariableADeploymentSetsIsReadByItsService() throws Exception {
        List<String> unread = new ArrayList<>();
        for (ObjectNode d : RenderedManifestsTest.byKind(Kustomize.render("prod"), "Deployment")) {
            JsonNode container = d.path("spec").path("template").path("spec").path("containers").get(0);
            String image = container.path("image").asText();
            String module = MODULE_OF_IMAGE.get(image.substring(image.lastIndexOf('/') + 1).split("[:@]")[0]);
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

    /**
     * The KafkaUser each incoming channel runs as: a module's own, except the k8s-secret-writer image, which runs as two
     * Deployments with a user each (the writer's channel as secret-writer, the restarter's as pod-restarter).
     */
    static String userOf(String module, String channel) {
        if (!module.equals("k8s-secret-writer")) {
            return module;
        }
        return switch (channel) {
            case "secret-writer-in" -> "secret-writer";
            case "pod-restarter-in" -> "pod-restarter";
            default -> throw new AssertionError("k8s-secret-writer channel " + channel + " belongs to no Deployment");
        };
    }

    @Test
    void everyConsumerGroupAServiceJoinsAndEveryTopicItReadsIsAllowedByItsKafkaUser() throws Exception {
        KafkaUsers users = KafkaUsers.of(Kustomize.render("prod"));
        List<String> problems = new ArrayList<>();
        int groups = 0;
        for (String module : MODULE_OF_IMAGE.values()) {
            String properties = Files.readString(REPOSITORY.resolve(module).resolve("src/main/resources/application.properties"));
            Matcher m = GROUP_ID.matcher(properties);
            while (m.find()) {
                String user = userOf(module, m.group(1));
                String group = m.group(2);
                groups++;
                if (users.groups(user).stream().noneMatch(group::startsWith)) {
                    problems.add(module + " channel " + m.group(1) + " joins group " + group + ", which KafkaUser "
                            + user + " may not (" + users.groups(user) + ")");
                }
            }
            Matcher t = CHANNEL_TOPICS.matcher(properties);
            while (t.find()) {
                String user = userOf(module, t.group(1));
                for (String topic : t.group(2).split(",")) {
                    if (!users.allows(user, "Read", "topic", topic.trim())) {
                        problems.add(module + " channel " + t.group(1) + " reads " + topic + ", which KafkaUser "
                                + user + " may not");
                    }
                }
            }
        }
        // The saga owners' group is a configuration default in code (rotor.orchestrator.worker.group-id).
        if (users.groups("orchestrator").stream().noneMatch("rotor-orchestrator"::startsWith)) {
            problems.add("the orchestrator's saga owners cannot join rotor-orchestrator");
        }
        assertThat(groups).as("consumer groups found in the services' configuration").isGreaterThanOrEqualTo(3);
        assertThat(problems).isEmpty();
    }

    /**
     * The properties of the kit's {@code @ConfigMapping(prefix = "rotor")} (rotator-kit's KitConfig), which every
     * service has: {@code rotor.sealing.dir}, {@code rotor.policy.file}, ... Read from its source: a nested interface
     * {@code Sealing} reached by {@code Sealing sealing();} gives {@code rotor.sealing.<method>}.
     */
    static Set<String> kitProperties() throws IOException {
        String source = Files.readString(REPOSITORY.resolve("rotator-kit/src/main/java/io/rotor/kit/KitConfig.java"));
        Matcher prefix = Pattern.compile("@ConfigMapping\\(prefix = \"([^\"]+)\"\\)").matcher(source);
        assertThat(prefix.find()).as("KitConfig's @ConfigMapping prefix").isTrue();
        Map<String, String> blocks = new TreeMap<>();
        Matcher nested = Pattern.compile("(?s)\\n    interface (\\w+) \\{(.*?)\\n    }").matcher(source);
        while (nested.find()) {
            blocks.put(nested.group(1), nested.group(2));
        }
        Set<String> properties = new TreeSet<>();
        Pattern method = Pattern.compile("(?m)^\\s+([\\w<>, ]+?) (\\w+)\\(\\);");
        String topLevel = source.replaceAll("(?s)\\n    interface \\w+ \\{.*?\\n    }", "");
        Matcher m = method.matcher(topLevel);
        while (m.find()) {
            String name = prefix.group(1) + "." + kebab(m.group(2));
            String block = blocks.get(m.group(1));
            if (block == null) {
                properties.add(name);
                continue;
            }
            Matcher inner = method.matcher(block);
            while (inner.find()) {
                properties.add(name + "." + kebab(inner.group(2)));
            }
        }
        assertThat(properties).as("KitConfig read from source").contains("rotor.sealing.dir", "rotor.policy.file");
        return properties;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** What a service can be configured by: its properties, the kit's, and its README's configuration tables. */
    private static String configurationOf(String module) throws IOException {
        StringBuilder all = new StringBuilder();
        // Every service runs on rotator-kit, whose KitConfig (prefix rotor) is part of its configuration.
        kitProperties().forEach(p -> all.append(p).append('\n'));
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
