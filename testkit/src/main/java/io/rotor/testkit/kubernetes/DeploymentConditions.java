package io.rotor.testkit.kubernetes;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;

/**
 * The {@code Available} and {@code Progressing} conditions with the reasons and messages the real deployment
 * controller uses (pkg/controller/deployment/util/deployment_util.go), since clients match on the reasons.
 */
final class DeploymentConditions {

    static final String AVAILABLE = "Available";
    static final String PROGRESSING = "Progressing";
    static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
    static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";
    static final String REPLICA_SET_UPDATED = "ReplicaSetUpdated";
    static final String NEW_REPLICA_SET_AVAILABLE = "NewReplicaSetAvailable";
    static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

    private DeploymentConditions() {
    }

    static DeploymentCondition available(boolean available, List<DeploymentCondition> previous) {
        return available
                ? condition(AVAILABLE, "True", MINIMUM_REPLICAS_AVAILABLE, "Deployment has minimum availability.",
                        previous)
                : condition(AVAILABLE, "False", MINIMUM_REPLICAS_UNAVAILABLE,
                        "Deployment does not have minimum availability.", previous);
    }

    static DeploymentCondition complete(String replicaSet, List<DeploymentCondition> previous) {
        return condition(PROGRESSING, "True", NEW_REPLICA_SET_AVAILABLE,
                "ReplicaSet \"" + replicaSet + "\" has successfully progressed.", previous);
    }

    static DeploymentCondition progressing(String replicaSet, List<DeploymentCondition> previous) {
        return condition(PROGRESSING, "True", REPLICA_SET_UPDATED,
                "ReplicaSet \"" + replicaSet + "\" is progressing.", previous);
    }

    static DeploymentCondition timedOut(String replicaSet, List<DeploymentCondition> previous) {
        return condition(PROGRESSING, "False", PROGRESS_DEADLINE_EXCEEDED,
                "ReplicaSet \"" + replicaSet + "\" has timed out progressing.", previous);
    }

    /**
     * Keeps the previous timestamps when nothing changed, so an unchanged status compares equal and is not written
     * again (each write would trigger another watch event and another reconcile).
     */
    private static DeploymentCondition condition(String type, String status, String reason, String message,
            List<DeploymentCondition> previous) {
        Optional<DeploymentCondition> before = previous.stream().filter(c -> type.equals(c.getType())).findFirst();
        String now = Pods.now();
        String transition = before.filter(c -> status.equals(c.getStatus()))
                .map(DeploymentCondition::getLastTransitionTime).orElse(now);
        String update = before.filter(c -> status.equals(c.getStatus()) && Objects.equals(reason, c.getReason())
                && Objects.equals(message, c.getMessage())).map(DeploymentCondition::getLastUpdateTime).orElse(now);
        return new DeploymentConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(transition)
                .withLastUpdateTime(update)
                .build();
    }
}
