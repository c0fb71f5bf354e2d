package io.rotor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/** Kubernetes label selectors as the API server reads them, for asking which pods a policy or monitor picks. */
final class Selectors {

    private Selectors() {
    }

    /** Whether {@code selector} ({@code matchLabels}, {@code matchExpressions}; empty selects all) picks {@code labels}. */
    static boolean matches(JsonNode selector, Map<String, String> labels) {
        for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            boolean in = false;
            for (JsonNode v : expression.path("values")) {
                in |= v.asText().equals(labels.get(key));
            }
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> in;
                case "NotIn" -> !in;
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> throw new IllegalArgumentException("operator " + expression);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static Map<String, String> labels(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        object.path("labels").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The labels of a Deployment's pods. */
    static Map<String, String> podLabels(JsonNode deployment) {
        return labels(deployment.path("spec").path("template").path("metadata"));
    }
}
