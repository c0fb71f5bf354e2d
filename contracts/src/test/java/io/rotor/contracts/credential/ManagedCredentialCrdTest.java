package io.rotor.contracts.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CRD is written by hand (it is what users read and what the API server enforces), the model is what Rotor's code
 * reads. This walks both and fails on any field, type or enum value that one has and the other lacks.
 */
class ManagedCredentialCrdTest {

    static JsonNode crd;
    static JsonNode schema;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = ManagedCredentialCrdTest.class.getResourceAsStream("/crd/managedcredentials.rotor.io.yaml")) {
            crd = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        schema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    }

    @Test
    void namesMatchTheConstantsTheServicesUse() {
        assertThat(crd.at("/metadata/name").asText()).isEqualTo(ManagedCredentials.CRD_NAME);
        assertThat(crd.at("/spec/group").asText()).isEqualTo(ManagedCredentials.GROUP);
        assertThat(crd.at("/spec/names/kind").asText()).isEqualTo(ManagedCredentials.KIND);
        assertThat(crd.at("/spec/names/plural").asText()).isEqualTo(ManagedCredentials.PLURAL);
        assertThat(crd.at("/spec/versions/0/name").asText()).isEqualTo(ManagedCredentials.VERSION);
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
        assertThat(crd.at("/spec/versions/0/subresources/status").isObject()).isTrue();
    }

    @Test
    void specSchemaAndModelAgree() {
        List<String> problems = new ArrayList<>();
        compare("spec", ManagedCredentialSpec.class, schema.at("/properties/spec"), problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void statusSchemaAndModelAgree() {
        List<String> problems = new ArrayList<>();
        compare("status", ManagedCredentialStatus.class, schema.at("/properties/status"), problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void requiredFieldsOfTheSchemaExist() {
        List<String> problems = new ArrayList<>();
        checkRequired("", schema, problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void theComparisonNoticesADifference() {
        // Guards the guard: a record with a field the schema lacks, and a schema field the record lacks.
        record Drifted(String url, String extra) {
        }
        List<String> problems = new ArrayList<>();
        compare("endpoint", Drifted.class, schema.at("/properties/spec/properties/endpoint"), problems);
        assertThat(problems).anyMatch(p -> p.contains("endpoint.extra"))
                .anyMatch(p -> p.contains("endpoint.hosts"));
    }

    private static void compare(String path, Type type, JsonNode node, List<String> problems) {
        if (node.isMissingNode()) {
            problems.add(path + ": in the model but not in the CRD");
            return;
        }
        String crdType = node.path("type").asText();
        Class<?> raw = rawClass(type);
        if (raw.isRecord()) {
            expect(path, "object", crdType, problems);
            JsonNode props = node.path("properties");
            Set<String> modelFields = new TreeSet<>();
            for (RecordComponent c : raw.getRecordComponents()) {
                modelFields.add(c.getName());
                compare(path + "." + c.getName(), c.getGenericType(), props.path(c.getName()), problems);
            }
            props.fieldNames().forEachRemaining(f -> {
                if (!modelFields.contains(f)) {
                    problems.add(path + "." + f + ": in the CRD but not in the model");
                }
            });
        } else if (raw == String.class || raw == Duration.class) {
            expect(path, "string", crdType, problems);
        } else if (raw == Instant.class) {
            expect(path, "string", crdType, problems);
            if (!"date-time".equals(node.path("format").asText())) {
                problems.add(path + ": an Instant needs format date-time in the CRD");
            }
        } else if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            expect(path, "integer", crdType, problems);
        } else if (raw == Boolean.class || raw == boolean.class) {
            expect(path, "boolean", crdType, problems);
        } else if (raw.isEnum()) {
            expect(path, "string", crdType, problems);
            Set<String> modelValues = new TreeSet<>(enumJsonValues(raw));
            Set<String> crdValues = new TreeSet<>();
            node.path("enum").forEach(v -> crdValues.add(v.asText()));
            if (!modelValues.equals(crdValues)) {
                problems.add(path + ": enum values differ, model " + modelValues + " vs CRD " + crdValues);
            }
        } else if (List.class.isAssignableFrom(raw)) {
            expect(path, "array", crdType, problems);
            compare(path + "[]", typeArgument(type, 0), node.path("items"), problems);
        } else if (Map.class.isAssignableFrom(raw)) {
            expect(path, "object", crdType, problems);
            compare(path + "{}", typeArgument(type, 1), node.path("additionalProperties"), problems);
        } else {
            problems.add(path + ": the test does not know how " + raw.getName() + " maps to the CRD");
        }
    }

    private static void checkRequired(String path, JsonNode node, List<String> problems) {
        node.path("required").forEach(r -> {
            if (node.path("properties").path(r.asText()).isMissingNode()) {
                problems.add(path + ": requires " + r.asText() + ", which it does not define");
            }
        });
        node.path("properties").fields().forEachRemaining(e -> checkRequired(path + "." + e.getKey(), e.getValue(), problems));
        if (node.has("items")) {
            checkRequired(path + "[]", node.get("items"), problems);
        }
    }

    private static void expect(String path, String expected, String actual, List<String> problems) {
        if (!expected.equals(actual)) {
            problems.add(path + ": model needs type " + expected + ", CRD says " + actual);
        }
    }

    private static List<String> enumJsonValues(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(c -> {
            try {
                JsonProperty p = enumType.getField(((Enum<?>) c).name()).getAnnotation(JsonProperty.class);
                return p != null ? p.value() : ((Enum<?>) c).name();
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static Class<?> rawClass(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static Type typeArgument(Type type, int index) {
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }
}
