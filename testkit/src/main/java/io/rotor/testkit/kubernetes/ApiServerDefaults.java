package io.rotor.testkit.kubernetes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The few things a real API server does to an object on write that the CRUD mock does not, and that Rotor's code
 * or the fake controller depend on: workload defaulting (pkg/apis/apps/v1/defaults.go) — {@code kubectl rollout
 * status} refuses a StatefulSet or DaemonSet whose update strategy is not {@code RollingUpdate}, and a missing
 * {@code replicas} means 1 — and folding a Secret's {@code stringData} into base64 {@code data}.
 */
final class ApiServerDefaults {

    private ApiServerDefaults() {
    }

    /** Applies defaults for the resource type named by {@code plural}; returns whether anything changed. */
    static boolean apply(String plural, ObjectNode object) {
        return switch (plural) {
            case "deployments" -> defaultDeployment(object);
            case "statefulsets" -> defaultStatefulSet(object);
            case "daemonsets" -> defaultDaemonSet(object);
            case "secrets" -> foldStringData(object);
            default -> false;
        };
    }

    private static boolean defaultDeployment(ObjectNode deployment) {
        if (!(deployment.get("spec") instanceof ObjectNode spec)) {
            return false;
        }
        boolean changed = putIfAbsent(spec, "replicas", 1);
        if (!(spec.get("strategy") instanceof ObjectNode)) {
            spec.putObject("strategy");
            changed = true;
        }
        ObjectNode strategy = (ObjectNode) spec.get("strategy");
        changed |= putIfAbsent(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.path("type").asText()) && !strategy.has("rollingUpdate")) {
            strategy.putObject("rollingUpdate").put("maxUnavailable", "25%").put("maxSurge", "25%");
            changed = true;
        }
        changed |= putIfAbsent(spec, "revisionHistoryLimit", 10);
        changed |= putIfAbsent(spec, "progressDeadlineSeconds", 600);
        return changed;
    }

    private static boolean defaultStatefulSet(ObjectNode set) {
        if (!(set.get("spec") instanceof ObjectNode spec)) {
            return false;
        }
        boolean changed = putIfAbsent(spec, "replicas", 1);
        changed |= putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
        changed |= putIfAbsent(spec, "revisionHistoryLimit", 10);
        if (!(spec.get("updateStrategy") instanceof ObjectNode)) {
            spec.putObject("updateStrategy");
            changed = true;
        }
        ObjectNode strategy = (ObjectNode) spec.get("updateStrategy");
        changed |= putIfAbsent(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.path("type").asText()) && !strategy.has("rollingUpdate")) {
            strategy.putObject("rollingUpdate").put("partition", 0);
            changed = true;
        }
        return changed;
    }

    private static boolean defaultDaemonSet(ObjectNode set) {
        if (!(set.get("spec") instanceof ObjectNode spec)) {
            return false;
        }
        boolean changed = putIfAbsent(spec, "revisionHistoryLimit", 10);
        if (!(spec.get("updateStrategy") instanceof ObjectNode)) {
            spec.putObject("updateStrategy");
            changed = true;
        }
        ObjectNode strategy = (ObjectNode) spec.get("updateStrategy");
        changed |= putIfAbsent(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.path("type").asText()) && !strategy.has("rollingUpdate")) {
            strategy.putObject("rollingUpdate").put("maxUnavailable", 1).put("maxSurge", 0);
            changed = true;
        }
        return changed;
    }

    /** stringData is write-only: its entries overwrite {@code data} (base64) and the field itself is not stored. */
    static boolean foldStringData(ObjectNode secret) {
        JsonNode stringData = secret.get("stringData");
        if (stringData == null) {
            return false;
        }
        if (stringData.isObject()) {
            ObjectNode data = secret.get("data") instanceof ObjectNode existing ? existing : secret.putObject("data");
            for (Map.Entry<String, JsonNode> entry : stringData.properties()) {
                data.put(entry.getKey(), Base64.getEncoder()
                        .encodeToString(entry.getValue().asText().getBytes(StandardCharsets.UTF_8)));
            }
        }
        secret.remove("stringData");
        return true;
    }

    private static boolean putIfAbsent(ObjectNode node, String field, int value) {
        if (node.hasNonNull(field)) {
            return false;
        }
        node.put(field, value);
        return true;
    }

    private static boolean putIfAbsent(ObjectNode node, String field, String value) {
        if (node.hasNonNull(field)) {
            return false;
        }
        node.put(field, value);
        return true;
    }
}
