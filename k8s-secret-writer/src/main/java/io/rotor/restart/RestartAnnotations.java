package io.rotor.restart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the restarter records on a workload it restarts, so that a redelivered event or a restarted restarter can tell
 * that the restart already happened (and resume waiting) instead of restarting again.
 */
final class RestartAnnotations {

    /** On the pod template, as {@code kubectl rollout restart} writes it. */
    static final String KUBECTL_RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    /**
     * On the workload: what the last restart was for, comma-separated: rotation ids, and {@code <id>/rollback} for a
     * restart onto restored values.
     */
    static final String RESTARTED_FOR = "rotor.io/restarted-for";
    /** On the workload: when the last restart started. */
    static final String RESTARTED_AT = "rotor.io/restarted-at";
    /** On the workload, while scaled to zero by {@code scale-to-zero}: the replica count to return to. */
    static final String REPLICAS_BEFORE = "rotor.io/replicas-before-restart";

    private RestartAnnotations() {
    }

    /** Whether the last restart already covered every one of these rotations. */
    static boolean covers(HasMetadata workload, Set<String> rotationIds) {
        return rotations(workload).containsAll(rotationIds);
    }

    static Set<String> rotations(HasMetadata workload) {
        String value = annotations(workload).get(RESTARTED_FOR);
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    static String join(Set<String> rotationIds) {
        return String.join(",", rotationIds);
    }

    static Optional<Instant> restartedAt(HasMetadata workload) {
        try {
            return Optional.ofNullable(annotations(workload).get(RESTARTED_AT)).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static Optional<Integer> replicasBefore(HasMetadata workload) {
        try {
            return Optional.ofNullable(annotations(workload).get(REPLICAS_BEFORE)).map(Integer::valueOf);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> annotations(HasMetadata workload) {
        Map<String, String> a = workload.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }
}
