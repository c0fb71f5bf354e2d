package io.rotor.testkit.kubernetes;

import java.util.Objects;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;

/**
 * What {@code kubectl rollout status} would say about a workload right now, transcribed from kubectl's
 * {@code pkg/polymorphichelpers/rollout_status.go}. An independent oracle for tests: the fake controller must reach
 * states these rules read as done, in progress or failed, and Rotor's own readiness check can be compared with it.
 *
 * <p>The rules (missing counts are 0):
 * <ul>
 * <li><b>Deployment</b>: not observed while {@code generation > status.observedGeneration}. Once observed: failed if
 * the {@code Progressing} condition has reason {@code ProgressDeadlineExceeded}; in progress while
 * {@code updatedReplicas < spec.replicas}, or {@code status.replicas > updatedReplicas} (old replicas pending
 * termination), or {@code availableReplicas < updatedReplicas}; else complete.</li>
 * <li><b>StatefulSet</b>: only for {@code updateStrategy.type=RollingUpdate}. Not observed while
 * {@code observedGeneration} is 0 or behind. In progress while {@code readyReplicas < spec.replicas}. With a
 * {@code rollingUpdate.partition} (the API server defaults it to 0): in progress while
 * {@code updatedReplicas < spec.replicas - partition}, else complete. Without one: complete when
 * {@code updateRevision == currentRevision}.</li>
 * <li><b>DaemonSet</b>: only for RollingUpdate. Not observed while {@code generation > observedGeneration}; in
 * progress while {@code updatedNumberScheduled < desiredNumberScheduled} or
 * {@code numberAvailable < desiredNumberScheduled}; else complete.</li>
 * </ul>
 * kubectl has no failure rule for StatefulSets and DaemonSets: a stuck one waits until kubectl's own timeout.
 */
public final class KubectlRolloutStatus {

    /** The verdict, with kubectl's message. */
    public record Verdict(State state, String message) {
        public boolean isComplete() {
            return state == State.COMPLETE;
        }
    }

    public enum State {
        /** kubectl prints "successfully rolled out" / "rolling update complete" and exits 0. */
        COMPLETE,
        /** kubectl keeps waiting. */
        IN_PROGRESS,
        /** kubectl exits with an error: progress deadline exceeded, or status not available for this strategy. */
        FAILED
    }

    private KubectlRolloutStatus() {
    }

    public static Verdict of(Deployment deployment) {
        String name = deployment.getMetadata().getName();
        DeploymentStatus status = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        if (generation(deployment.getMetadata().getGeneration()) > count(status.getObservedGeneration())) {
            return inProgress("Waiting for deployment spec update to be observed...");
        }
        boolean timedOut = status.getConditions().stream()
                .anyMatch(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()));
        if (timedOut) {
            return new Verdict(State.FAILED, "deployment \"" + name + "\" exceeded its progress deadline");
        }
        Integer specReplicas = deployment.getSpec().getReplicas();
        long updated = count(status.getUpdatedReplicas());
        if (specReplicas != null && updated < specReplicas) {
            return inProgress("Waiting for deployment \"" + name + "\" rollout to finish: " + updated + " out of "
                    + specReplicas + " new replicas have been updated...");
        }
        if (count(status.getReplicas()) > updated) {
            return inProgress("Waiting for deployment \"" + name + "\" rollout to finish: "
                    + (count(status.getReplicas()) - updated) + " old replicas are pending termination...");
        }
        if (count(status.getAvailableReplicas()) < updated) {
            return inProgress("Waiting for deployment \"" + name + "\" rollout to finish: "
                    + count(status.getAvailableReplicas()) + " of " + updated + " updated replicas are available...");
        }
        return new Verdict(State.COMPLETE, "deployment \"" + name + "\" successfully rolled out");
    }

    public static Verdict of(StatefulSet set) {
        var strategy = set.getSpec().getUpdateStrategy();
        if (strategy == null || !"RollingUpdate".equals(strategy.getType())) {
            return new Verdict(State.FAILED, "rollout status is only available for RollingUpdate strategy type");
        }
        StatefulSetStatus status = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
        long observed = count(status.getObservedGeneration());
        if (observed == 0 || generation(set.getMetadata().getGeneration()) > observed) {
            return inProgress("Waiting for statefulset spec update to be observed...");
        }
        Integer replicas = set.getSpec().getReplicas();
        if (replicas != null && count(status.getReadyReplicas()) < replicas) {
            return inProgress("Waiting for " + (replicas - count(status.getReadyReplicas())) + " pods to be ready...");
        }
        if (strategy.getRollingUpdate() != null) {
            Integer partition = strategy.getRollingUpdate().getPartition();
            if (replicas != null && partition != null && count(status.getUpdatedReplicas()) < replicas - partition) {
                return inProgress("Waiting for partitioned roll out to finish: " + count(status.getUpdatedReplicas())
                        + " out of " + (replicas - partition) + " new pods have been updated...");
            }
            return new Verdict(State.COMPLETE, "partitioned roll out complete: " + count(status.getUpdatedReplicas())
                    + " new pods have been updated...");
        }
        if (!Objects.equals(status.getUpdateRevision(), status.getCurrentRevision())) {
            return inProgress("waiting for statefulset rolling update to complete " + count(status.getUpdatedReplicas())
                    + " pods at revision " + status.getUpdateRevision() + "...");
        }
        return new Verdict(State.COMPLETE, "statefulset rolling update complete " + count(status.getCurrentReplicas())
                + " pods at revision " + status.getCurrentRevision() + "...");
    }

    public static Verdict of(DaemonSet set) {
        var strategy = set.getSpec().getUpdateStrategy();
        if (strategy == null || !"RollingUpdate".equals(strategy.getType())) {
            return new Verdict(State.FAILED, "rollout status is only available for RollingUpdate strategy type");
        }
        DaemonSetStatus status = set.getStatus() == null ? new DaemonSetStatus() : set.getStatus();
        String name = set.getMetadata().getName();
        if (generation(set.getMetadata().getGeneration()) > count(status.getObservedGeneration())) {
            return inProgress("Waiting for daemon set spec update to be observed...");
        }
        long desired = count(status.getDesiredNumberScheduled());
        if (count(status.getUpdatedNumberScheduled()) < desired) {
            return inProgress("Waiting for daemon set \"" + name + "\" rollout to finish: "
                    + count(status.getUpdatedNumberScheduled()) + " out of " + desired
                    + " new pods have been updated...");
        }
        if (count(status.getNumberAvailable()) < desired) {
            return inProgress("Waiting for daemon set \"" + name + "\" rollout to finish: "
                    + count(status.getNumberAvailable()) + " of " + desired + " updated pods are available...");
        }
        return new Verdict(State.COMPLETE, "daemon set \"" + name + "\" successfully rolled out");
    }

    private static Verdict inProgress(String message) {
        return new Verdict(State.IN_PROGRESS, message);
    }

    private static long generation(Long generation) {
        return generation == null ? 0 : generation;
    }

    private static long count(Number value) {
        return value == null ? 0 : value.longValue();
    }
}
