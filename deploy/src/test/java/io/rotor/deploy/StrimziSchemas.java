package io.rotor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validates Strimzi objects against the {@code openAPIV3Schema} of one Strimzi release's CRDs, kept in
 * {@code src/test/resources/strimzi-<version>/}. Strimzi's Java model (io.strimzi:api) would be the easier check, but
 * from 1.0 on it is compiled for Java 21 and this build runs on 17; the CRDs are also what the API server itself
 * applies.
 *
 * <p>What the API server would do, except CEL ({@code x-kubernetes-validations}, which this does not evaluate): a field
 * the structural schema does not declare is an error (kubectl's default {@code --validate=strict} refuses it; a lax
 * apply would drop it silently, which is worse), and so are a wrong type, a value outside an enum, a failed pattern,
 * minimum or oneOf, a missing required field, and an apiVersion the CRD does not serve.
 */
final class StrimziSchemas {

    static final String VERSION = "1.2.0";
    static final String DIR = "strimzi-" + VERSION + "/";
    static final List<String> CRD_FILES = List.of("040-Crd-kafka.yaml", "043-Crd-kafkatopic.yaml",
            "044-Crd-kafkauser.yaml", "045-Crd-kafkanodepool.yaml");

    /** apiVersion + " " + kind → schema, for every served version. */
    private final Map<String, JsonNode> schemas = new TreeMap<>();
    private final Map<String, Pattern> patterns = new TreeMap<>();

    StrimziSchemas() {
        for (String file : CRD_FILES) {
            JsonNode crd = readResource(file).get(0);
            String group = crd.path("spec").path("group").asText();
            String kind = crd.path("spec").path("names").path("kind").asText();
            for (JsonNode version : crd.path("spec").path("versions")) {
                if (version.path("served").asBoolean()) {
                    schemas.put(group + "/" + version.path("name").asText() + " " + kind,
                            version.path("schema").path("openAPIV3Schema"));
                }
            }
        }
    }

    boolean knows(String kind) {
        return schemas.keySet().stream().anyMatch(k -> k.endsWith(" " + kind));
    }

    /** Problems with one object, each as {@code Kind/name: path: what}. */
    List<String> check(ObjectNode object) {
        String kind = object.path("kind").asText();
        String where = kind + "/" + object.path("metadata").path("name").asText();
        String apiVersion = object.path("apiVersion").asText();
        JsonNode schema = schemas.get(apiVersion + " " + kind);
        if (schema == null) {
            return List.of(where + ": Strimzi " + VERSION + " does not serve " + apiVersion + " " + kind
                    + " (it serves " + schemas.keySet().stream().filter(k -> k.endsWith(" " + kind)).toList() + ")");
        }
        List<String> problems = new ArrayList<>();
        // The API server validates apiVersion, kind and metadata itself, whatever the CRD says about them.
        ObjectNode body = object.deepCopy();
        body.remove(List.of("apiVersion", "kind", "metadata"));
        ObjectNode bodySchema = schema.deepCopy();
        ((ObjectNode) bodySchema.path("properties")).remove(List.of("apiVersion", "kind", "metadata"));
        validate(body, bodySchema, where + ":", true, problems);
        return problems;
    }

    /**
     * {@code structural}: whether undeclared fields count. They do in the schema proper; inside oneOf/anyOf branches,
     * which in a structural schema only add value checks (e.g. {@code properties: {value: {}}, required: [value]}),
     * they do not.
     */
    private void validate(JsonNode value, JsonNode schema, String path, boolean structural, List<String> problems) {
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean()) {
                problems.add(path + " is null");
            }
            return;
        }
        if (!typeMatches(value, schema)) {
            problems.add(path + " is " + value.getNodeType().name().toLowerCase() + ", not " + schema.path("type").asText());
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode allowed : schema.path("enum")) {
                found |= allowed.equals(value) || (allowed.isTextual() && value.isTextual() && allowed.asText().equals(value.asText()));
            }
            if (!found) {
                problems.add(path + " is " + value + ", not one of " + schema.path("enum"));
            }
        }
        if (value.isTextual() && schema.has("pattern")
                && !pattern(schema.path("pattern").asText()).matcher(value.asText()).find()) {
            problems.add(path + " '" + value.asText() + "' does not match " + schema.path("pattern").asText());
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.decimalValue().compareTo(schema.path("minimum").decimalValue()) < 0) {
                problems.add(path + " is below the minimum " + schema.path("minimum"));
            }
            if (schema.has("maximum") && value.decimalValue().compareTo(schema.path("maximum").decimalValue()) > 0) {
                problems.add(path + " is above the maximum " + schema.path("maximum"));
            }
        }
        if (value.isArray()) {
            if (schema.has("minItems") && value.size() < schema.path("minItems").asInt()) {
                problems.add(path + " has fewer than " + schema.path("minItems") + " items");
            }
            if (schema.has("maxItems") && value.size() > schema.path("maxItems").asInt()) {
                problems.add(path + " has more than " + schema.path("maxItems") + " items");
            }
            if (schema.has("items")) {
                for (int i = 0; i < value.size(); i++) {
                    validate(value.get(i), schema.path("items"), path + "[" + i + "]", structural, problems);
                }
            }
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add(path + " misses required field " + required.asText());
                }
            }
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path + "." + field.getKey();
                if (properties.has(field.getKey())) {
                    validate(field.getValue(), properties.path(field.getKey()), child, structural, problems);
                } else if (additional.isObject()) {
                    validate(field.getValue(), additional, child, structural, problems);
                } else if (structural && !additional.asBoolean(false)
                        && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                    problems.add(child + " is not a field of the schema");
                }
            }
        }
        if (schema.has("oneOf")) {
            long matching = countMatching(value, schema.path("oneOf"), path);
            if (matching != 1) {
                problems.add(path + " matches " + matching + " of the oneOf alternatives, not exactly one");
            }
        }
        if (schema.has("anyOf") && countMatching(value, schema.path("anyOf"), path) == 0) {
            problems.add(path + " matches none of the anyOf alternatives");
        }
        for (JsonNode all : schema.path("allOf")) {
            validate(value, all, path, false, problems);
        }
    }

    private long countMatching(JsonNode value, JsonNode alternatives, String path) {
        long matching = 0;
        for (JsonNode alternative : alternatives) {
            List<String> branch = new ArrayList<>();
            validate(value, alternative, path, false, branch);
            matching += branch.isEmpty() ? 1 : 0;
        }
        return matching;
    }

    private static boolean typeMatches(JsonNode value, JsonNode schema) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            return value.isIntegralNumber() || value.isTextual();
        }
        return switch (schema.path("type").asText("")) {
            case "" -> true;
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> false;
        };
    }

    private Pattern pattern(String regex) {
        return patterns.computeIfAbsent(regex, Pattern::compile);
    }

    static List<ObjectNode> readResource(String file) {
        try (InputStream in = StrimziSchemas.class.getClassLoader().getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + DIR + file);
            }
            return Kustomize.documents(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
