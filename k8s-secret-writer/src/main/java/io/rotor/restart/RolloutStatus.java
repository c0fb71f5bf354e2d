package io.rotor.restart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.util.Objects;

/**
 * Whether a workload's rollout is complete, by the rules of {@code kubectl rollout status}
 * ({@code pkg/polymorphichelpers/rollout_status.go}); missing counts are 0, as the API server omits zeros.
 * <ul>
 * <li>Deployment: waiting while {@code metadata.generation > status.observedGeneration}; failed when the
 * {@code Progressing} condition has reason {@code ProgressDeadlineExceeded}; in progress while
 * {@code updatedReplicas < spec.replicas}, {@code replicas > updatedReplicas} or
 * {@code availableReplicas < updatedReplicas}.</li>
 * <li>StatefulSet (RollingUpdate only): waiting while observedGeneration is 0 or behind; in progress while
 * {@code readyReplicas < spec.replicas}; with a {@code rollingUpdate} block, while
 * {@code updatedReplicas < replicas - partition} (if a partition is set); without one, until
 * {@code updateRevision == currentRevision}.</li>
 * <li>DaemonSet (RollingUpdate only): waiting while generation is not observed; in progress while
 * {@code updatedNumberScheduled} or {@code numberAvailable} is below {@code desiredNumberScheduled}.</li>
 * </ul>
 * An {@code OnDelete} StatefulSet or DaemonSet has no rollout status; the restarter deletes its pods instead.
 */
final class RolloutStatus {

    enum State {
        COMPLETE,
        IN_PROGRESS,
        /** Progress deadline exceeded: the controller gave up on the rollout. */
        FAILED,
        /** kubectl cannot tell for this update strategy (OnDelete). */
        UNAVAILABLE
    }

    record Verdict(State state, String message) {
        boolean complete() {
            return state == State.COMPLETE;
        }
    }

    private RolloutStatus() {
    }

    static Verdict of(HasMetadata workload) {
        if (workload instanceof Deployment d) {
            return of(d);
        }
        if (workload instanceof StatefulSet s) {
            return of(s);
        }
        if (workload instanceof DaemonSet s) {
            return of(s);
        }
        throw new IllegalArgumentException("no rollout status for " + workload.getKind());
    }

    static Verdict of(Deployment deployment) {
        String name = deployment.getMetadata().getName();
        DeploymentStatus status = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        if (count(deployment.getMetadata().getGeneration()) > count(status.getObservedGeneration())) {
            return inProgress("waiting for deployment spec update to be observed");
        }
        boolean deadlineExceeded = status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()));
        if (deadlineExceeded) {
            return new Verdict(State.FAILED, "deployment \"" + name + "\" exceeded its progress deadline");
        }
        Integer desired = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
        long updated = count(status.getUpdatedReplicas());
        if (desired != null && updated < desired) {
            return inProgress(updated + " out of " + desired + " new replicas have been updated");
        }
        if (count(status.getReplicas()) > updated) {
            return inProgress((count(status.getReplicas()) - updated) + " old replicas are pending termination");
        }
        if (count(status.getAvailableReplicas()) < updated) {
            return inProgress(count(status.getAvailableReplicas()) + " of " + updated + " updated replicas are available");
        }
        return new Verdict(State.COMPLETE, "deployment \"" + name + "\" successfully rolled out");
    }

    static Verdict of(StatefulSet set) {
        var strategy = set.getSpec().getUpdateStrategy();
        if (strategy != null && strategy.getType() != null && !"RollingUpdate".equals(strategy.getType())) {
            return new Verdict(State.UNAVAILABLE, "rollout status is only available for the RollingUpdate strategy");
        }
        StatefulSetStatus status = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
        long observed = count(status.getObservedGeneration());
        if (observed == 0 || count(set.getMetadata().getGeneration()) > observed) {
            return inProgress("waiting for statefulset spec update to be observed");
        }
        Integer replicas = set.getSpec().getReplicas();
        if (replicas != null && count(status.getReadyReplicas()) < replicas) {
            return inProgress((replicas - count(status.getReadyReplicas())) + " pods are not ready yet");
        }
        // As kubectl: with a rollingUpdate block (the API server always writes one), the partition decides.
        if (strategy != null && strategy.getRollingUpdate() != null) {
            Integer partition = strategy.getRollingUpdate().getPartition();
            if (replicas != null && partition != null && count(status.getUpdatedReplicas()) < replicas - partition) {
                return inProgress(count(status.getUpdatedReplicas()) + " out of " + (replicas - partition)
                        + " new pods have been updated");
            }
            return new Verdict(State.COMPLETE, "partitioned roll out complete");
        }
        if (!Objects.equals(status.getUpdateRevision(), status.getCurrentRevision())) {
            return inProgress("waiting for the rolling update to complete (" + count(status.getUpdatedReplicas())
                    + " pods at the new revision)");
        }
        return new Verdict(State.COMPLETE, "statefulset rolling update complete");
    }

    static Verdict of(DaemonSet set) {
        var strategy = set.getSpec().getUpdateStrategy();
        if (strategy != null && strategy.getType() != null && !"RollingUpdate".equals(strategy.getType())) {
            return new Verdict(State.UNAVAILABLE, "rollout status is only available for the RollingUpdate strategy");
        }
        DaemonSetStatus status = set.getStatus() == null ? new DaemonSetStatus() : set.getStatus();
        String name = set.getMetadata().getName();
        if (count(set.getMetadata().getGeneration()) > count(status.getObservedGeneration())) {
            return inProgress("waiting for daemon set spec update to be observed");
        }
        long desired = count(status.getDesiredNumberScheduled());
        if (count(status.getUpdatedNumberScheduled()) < desired) {
            return inProgress(count(status.getUpdatedNumberScheduled()) + " out of " + desired
                    + " new pods have been updated");
        }
        if (count(status.getNumberAvailable()) < desired) {
            return inProgress(count(status.getNumberAvailable()) + " of " + desired + " updated pods are available");
        }
        return new Verdict(State.COMPLETE, "daemon set \"" + name + "\" successfully rolled out");
    }

    /** Whether kubectl could report on it at all: false for OnDelete StatefulSets and DaemonSets. */
    static boolean rollingUpdate(HasMetadata workload) {
        String type = null;
        if (workload instanceof StatefulSet s && s.getSpec().getUpdateStrategy() != null) {
            type = s.getSpec().getUpdateStrategy().getType();
        } else if (workload instanceof DaemonSet s && s.getSpec().getUpdateStrategy() != null) {
            type = s.getSpec().getUpdateStrategy().getType();
        }
        return type == null || "RollingUpdate".equals(type);
    }

    private static Verdict inProgress(String message) {
        return new Verdict(State.IN_PROGRESS, message);
    }

    private static long count(Number n) {
        return n == null ? 0 : n.longValue();
    }
}
