package io.rotor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Strimzi objects are for the release whose CRDs are kept in src/test/resources/strimzi-<version>/. */
class StrimziSchemaTest {

    /** The upstream blob ids noted in strimzi-1.2.0/README.md: the copies are unmodified. */
    static final Map<String, String> BLOBS = Map.of(
            "040-Crd-kafka.yaml", "9598f1c26dff3ec2dc97781e52f3695366031525",
            "043-Crd-kafkatopic.yaml", "f239899977215306017af3fbf6f73ce4c52db813",
            "044-Crd-kafkauser.yaml", "ed0577a648413c49dc729fa75d6a49ce4f8850f4",
            "045-Crd-kafkanodepool.yaml", "5c8670088513ef9ff38fbb0c67002654abaacf7c",
            "kafka-versions.yaml", "12ed355a7ec6ed534fb8acff88c79be91faa2cca");

    @Test
    void theSchemasAreUnmodifiedCopiesOfTheRelease() throws Exception {
        for (Map.Entry<String, String> file : BLOBS.entrySet()) {
            byte[] content;
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(StrimziSchemas.DIR + file.getKey())) {
                content = in.readAllBytes();
            }
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            assertThat(HexFormat.of().formatHex(sha1.digest(content))).as(file.getKey()).isEqualTo(file.getValue());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyStrimziObjectUsesTheV1ApiAndNoRetiredAnnotation(String overlay) throws Exception {
        List<ObjectNode> strimzi = Kustomize.render(overlay).stream()
                .filter(o -> o.path("apiVersion").asText().startsWith("kafka.strimzi.io/")).toList();
        assertThat(strimzi).extracting(o -> o.path("kind").asText())
                .contains("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser");
        for (ObjectNode o : strimzi) {
            assertThat(o.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1");
            // KRaft and node pools are the only mode since Strimzi 0.46; the annotations that switched them on are ignored.
            assertThat(o.path("metadata").path("annotations").has("strimzi.io/kraft")).isFalse();
            assertThat(o.path("metadata").path("annotations").has("strimzi.io/node-pools")).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theKafkaVersionIsOneTheReleaseSupports(String overlay) throws Exception {
        JsonNode kafka = RenderedManifestsTest.byKind(Kustomize.render(overlay), "Kafka").get(0).path("spec").path("kafka");
        JsonNode supported = null;
        for (JsonNode v : Kustomize.YAML.readTree(resource("kafka-versions.yaml"))) {
            if (v.path("version").asText().equals(kafka.path("version").asText())) {
                supported = v;
            }
        }
        assertThat(supported).as("Kafka " + kafka.path("version").asText() + " in Strimzi " + StrimziSchemas.VERSION).isNotNull();
        assertThat(supported.path("supported").asBoolean()).isTrue();
        assertThat(kafka.path("metadataVersion").asText()).isEqualTo(supported.path("metadata").asText());
    }

    @Test
    void theSchemaCheckRefusesWhatTheApiServerWould() throws Exception {
        List<ObjectNode> objects = Kustomize.render("dev");
        ObjectNode kafka = RenderedManifestsTest.byKind(objects, "Kafka").get(0);
        StrimziSchemas schemas = new StrimziSchemas();
        assertThat(schemas.check(kafka)).isEmpty();

        ObjectNode old = kafka.deepCopy().put("apiVersion", "kafka.strimzi.io/v1beta2");
        assertThat(schemas.check(old)).singleElement().asString().contains("does not serve kafka.strimzi.io/v1beta2");

        ObjectNode misspelt = kafka.deepCopy();
        ((ObjectNode) misspelt.path("spec").path("kafka")).put("versoin", "4.3.1");
        assertThat(schemas.check(misspelt)).singleElement().asString().contains("spec.kafka.versoin");

        ObjectNode badEnum = kafka.deepCopy();
        ((ObjectNode) badEnum.path("spec").path("kafka").path("listeners").get(0)).put("type", "public");
        assertThat(schemas.check(badEnum)).singleElement().asString().contains("listeners[0].type");

        ObjectNode noPort = kafka.deepCopy();
        ((ObjectNode) noPort.path("spec").path("kafka").path("listeners").get(0)).remove("port");
        assertThat(schemas.check(noPort)).singleElement().asString().contains("required field port");

        ObjectNode user = RenderedManifestsTest.byKind(objects, "KafkaUser").get(0).deepCopy();
        ((ObjectNode) user.path("spec").path("authorization").path("acls").get(0)).put("operation", "Read");
        assertThat(schemas.check(user)).singleElement().asString().contains("acls[0].operation ");

        ObjectNode topic = RenderedManifestsTest.byKind(objects, "KafkaTopic").get(0).deepCopy();
        ((ObjectNode) topic.path("spec")).put("partitions", 0);
        assertThat(schemas.check(topic)).singleElement().asString().contains("minimum");
    }

    private static String resource(String file) throws Exception {
        try (InputStream in = StrimziSchemaTest.class.getClassLoader().getResourceAsStream(StrimziSchemas.DIR + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
