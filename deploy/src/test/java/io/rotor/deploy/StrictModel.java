package io.rotor.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;


/**
 * Parses a rendered object into its typed model (fabric8 for Kubernetes and Prometheus Operator kinds) and reports
 * every field the model does not know; Strimzi kinds go to {@link StrimziSchemas}, the CRDs of the release Rotor
 * supports. fabric8 keeps unknown fields in an {@code additionalProperties} map instead of failing, so a misspelt
 * field would slip through a plain parse; this walks the parsed object and calls any non-empty such map an error.
 */
final class StrictModel {

    private static final StrimziSchemas STRIMZI = new StrimziSchemas();

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** Problems with one object, each as {@code Kind/name: path: what}. */
    List<String> check(ObjectNode object) {
        String kind = object.path("kind").asText();
        String where = kind + "/" + object.path("metadata").path("name").asText();
        if (object.path("apiVersion").asText().startsWith("kafka.strimzi.io/") && STRIMZI.knows(kind)) {
            return STRIMZI.check(object);
        }
        Object typed;
        try {
            typed = serialization.unmarshal(serialization.asJson(object), KubernetesResource.class);
        } catch (RuntimeException e) {
            return List.of(where + ": does not parse: " + e.getMessage());
        }
        if (typed == null || typed.getClass().getSimpleName().equals("GenericKubernetesResource")) {
            return List.of(where + ": no typed model for " + object.path("apiVersion").asText() + " " + kind);
        }
        List<String> problems = new ArrayList<>();
        walk(typed, where + ":", problems, new IdentityHashMap<>());
        return problems;
    }

    private void walk(Object value, String path, List<String> problems, IdentityHashMap<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, problems, seen));
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + " unknown field(s) " + extra.keySet());
                }
                continue;
            }
            walk(child, path + "." + decapitalize(getter.getName().substring(3)), problems, seen);
        }
    }

    private static String decapitalize(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
