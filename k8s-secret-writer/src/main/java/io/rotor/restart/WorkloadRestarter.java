package io.rotor.restart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.contracts.credential.RestartStrategy;
import io.rotor.k8s.ApiError;
import io.rotor.k8s.ServiceStopping;
import io.rotor.kit.retry.Pause;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Restarts one workload by a strategy and waits until it runs again, blocking the calling thread:
 * <ul>
 * <li>{@code rollout}: sets {@code kubectl.kubernetes.io/restartedAt} on the pod template (a JSON merge patch, as
 * {@code kubectl rollout restart} does with a strategic one) and waits by {@code kubectl rollout status}'s rules;</li>
 * <li>{@code delete-pods}: deletes the workload's pods and waits until none of them is left and as many new ones as
 * desired are ready;</li>
 * <li>{@code scale-to-zero}: records the replica count in an annotation and sets {@code spec.replicas} to 0 in one
 * update, waits until every pod is gone, scales back to the recorded count, and waits until ready.</li>
 * </ul>
 * Every restart first records on the workload which rotations it serves ({@code rotor.io/restarted-for}); when that
 * already covers the job's rotations, the restart happened before (redelivery, or a restarter that crashed while
 * waiting) and is only waited for — a scale-to-zero caught at zero is scaled back to the recorded count.
 */
final class WorkloadRestarter {

    private static final Logger LOG = Logger.getLogger(WorkloadRestarter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONFLICT_ATTEMPTS = 10;

    private final WorkloadResources resources;
    private final Clock clock;
    private final Pause pause;
    private final Duration pollInterval;

    WorkloadRestarter(WorkloadResources resources, Clock clock, Pause pause, Duration pollInterval) {
        this.resources = resources;
        this.clock = clock;
        this.pause = pause;
        this.pollInterval = pollInterval;
    }

    RestartResult restart(RestartJob job) {
        Instant started = clock.instant();
        Instant deadline = started.plus(job.timeout());
        HasMetadata workload = resources.get(job.namespace(), job.ref());
        if (workload == null) {
            throw new RestartFailure(RestartFailure.Reason.WORKLOAD_NOT_FOUND, job.describe() + " does not exist");
        }
        RestartStrategy strategy = effectiveStrategy(job.strategy(), workload);
        if (strategy != job.strategy()) {
            LOG.infof("%s: %s instead of %s (%s)", job.describe(), value(strategy), value(job.strategy()),
                    workload instanceof DaemonSet && job.strategy() == RestartStrategy.SCALE_TO_ZERO
                            ? "a DaemonSet cannot be scaled" : "its update strategy is OnDelete");
        }
        boolean resumed = switch (strategy) {
            case ROLLOUT -> rollout(job, workload, deadline);
            case DELETE_PODS -> deletePods(job, workload, deadline);
            case SCALE_TO_ZERO -> scaleToZero(job, workload, deadline);
        };
        RestartResult result = new RestartResult(job.ref(), value(strategy), started, clock.instant(), resumed,
                job.rotationIds().size());
        LOG.infof("%s is ready after %s (%s%s, %d rotation(s))", job.describe(), result.took(), value(strategy),
                resumed ? ", resumed" : "", job.rotationIds().size());
        return result;
    }

    static RestartStrategy effectiveStrategy(RestartStrategy asked, HasMetadata workload) {
        boolean rolling = RolloutStatus.rollingUpdate(workload);
        if (asked == RestartStrategy.SCALE_TO_ZERO && workload instanceof DaemonSet) {
            return rolling ? RestartStrategy.ROLLOUT : RestartStrategy.DELETE_PODS;
        }
        if (asked == RestartStrategy.ROLLOUT && !rolling) {
            return RestartStrategy.DELETE_PODS;
        }
        return asked;
    }

    static String value(RestartStrategy strategy) {
        return switch (strategy) {
            case ROLLOUT -> "rollout";
            case DELETE_PODS -> "delete-pods";
            case SCALE_TO_ZERO -> "scale-to-zero";
        };
    }

    // --- rollout -------------------------------------------------------------------------------------------------

    private boolean rollout(RestartJob job, HasMetadata workload, Instant deadline) {
        boolean resumed = RestartAnnotations.covers(workload, job.rotationIds());
        if (!resumed) {
            String now = clock.instant().toString();
            ObjectNode patch = markPatch(job, now);
            ((ObjectNode) patch.putObject("spec").putObject("template").putObject("metadata").putObject("annotations"))
                    .put(RestartAnnotations.KUBECTL_RESTARTED_AT, now);
            resources.mergePatch(job.namespace(), job.ref(), patch.toString());
            LOG.infof("%s: rolling restart started", job.describe());
        } else {
            LOG.infof("%s: restarted for these rotations already; waiting for its rollout", job.describe());
        }
        awaitRolledOut(job, deadline, -1);
        return resumed;
    }

    // --- delete-pods ---------------------------------------------------------------------------------------------

    private boolean deletePods(RestartJob job, HasMetadata workload, Instant deadline) {
        boolean resumed = RestartAnnotations.covers(workload, job.rotationIds());
        List<Pod> old;
        if (!resumed) {
            resources.mergePatch(job.namespace(), job.ref(), markPatch(job, clock.instant().toString()).toString());
            old = resources.pods(job.namespace(), workload);
        } else {
            // Resuming: the pods to replace are those created before the restart began (creation times are whole
            // seconds, so a pod from that very second counts as new).
            Instant mark = RestartAnnotations.restartedAt(workload).orElse(clock.instant()).truncatedTo(ChronoUnit.SECONDS);
            old = resources.pods(job.namespace(), workload).stream().filter(p -> createdBefore(p, mark)).toList();
        }
        Set<String> oldUids = old.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
        old.forEach(resources::delete);
        LOG.infof("%s: deleted %d pod(s)%s", job.describe(), old.size(), resumed ? " left from an earlier attempt" : "");
        poll(job, deadline, current -> {
            List<Pod> pods = resources.pods(job.namespace(), current);
            long stale = pods.stream().filter(p -> oldUids.contains(p.getMetadata().getUid())).count();
            if (stale > 0) {
                return Optional.of(stale + " old pod(s) still terminating");
            }
            return readiness(current, pods, WorkloadResources.desiredReplicas(current));
        });
        return resumed;
    }

    // --- scale-to-zero -------------------------------------------------------------------------------------------

    private boolean scaleToZero(RestartJob job, HasMetadata workload, Instant deadline) {
        Optional<Integer> recorded = RestartAnnotations.replicasBefore(workload);
        boolean resumed = recorded.isPresent() || RestartAnnotations.covers(workload, job.rotationIds());
        int replicas;
        if (recorded.isPresent()) {
            replicas = recorded.get();
            LOG.infof("%s: found scaled down by an earlier attempt; returning it to %d replica(s)", job.describe(), replicas);
        } else if (resumed) {
            LOG.infof("%s: restarted for these rotations already; waiting until ready", job.describe());
            awaitRolledOut(job, deadline, WorkloadResources.desiredReplicas(workload));
            return true;
        } else {
            replicas = WorkloadResources.desiredReplicas(workload);
            if (replicas == 0) {
                resources.mergePatch(job.namespace(), job.ref(), markPatch(job, clock.instant().toString()).toString());
                LOG.infof("%s runs no replicas: nothing to restart", job.describe());
                return false;
            }
            scaleDown(job, workload, replicas);
        }
        poll(job, deadline, current -> {
            int left = resources.pods(job.namespace(), current).size();
            return left == 0 ? Optional.empty() : Optional.of(left + " pod(s) still running or terminating");
        });
        ObjectNode back = JSON.createObjectNode();
        back.putObject("metadata").putObject("annotations").putNull(RestartAnnotations.REPLICAS_BEFORE);
        back.putObject("spec").put("replicas", replicas);
        resources.mergePatch(job.namespace(), job.ref(), back.toString());
        LOG.infof("%s: every pod is gone; scaled back to %d replica(s)", job.describe(), replicas);
        awaitRolledOut(job, deadline, replicas);
        return resumed;
    }

    /** Replica count and the record of it in one update, so a crash in between cannot lose the count. */
    private void scaleDown(RestartJob job, HasMetadata workload, int replicas) {
        HasMetadata current = workload;
        for (int attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
            Map<String, String> marks = Map.of(
                    RestartAnnotations.RESTARTED_FOR, RestartAnnotations.join(job.rotationIds()),
                    RestartAnnotations.RESTARTED_AT, clock.instant().toString(),
                    RestartAnnotations.REPLICAS_BEFORE, Integer.toString(replicas));
            HasMetadata scaled = current instanceof Deployment d
                    ? new DeploymentBuilder(d).editMetadata().addToAnnotations(marks).endMetadata()
                            .editSpec().withReplicas(0).endSpec().build()
                    : new StatefulSetBuilder((StatefulSet) current).editMetadata().addToAnnotations(marks).endMetadata()
                            .editSpec().withReplicas(0).endSpec().build();
            try {
                resources.update(scaled);
                LOG.infof("%s: scaled from %d to 0 replicas", job.describe(), replicas);
                return;
            } catch (KubernetesClientException e) {
                if (ApiError.of(e) != ApiError.CONFLICT) {
                    throw RestartFailure.of(e, "scaling " + job.describe() + " to zero");
                }
                current = resources.get(job.namespace(), job.ref());
                if (current == null) {
                    throw new RestartFailure(RestartFailure.Reason.WORKLOAD_GONE, job.describe() + " was deleted");
                }
            }
        }
        throw new RestartFailure(RestartFailure.Reason.REJECTED, job.describe()
                + " kept changing while it was being scaled to zero; giving up");
    }

    // --- waiting -------------------------------------------------------------------------------------------------

    /** Until kubectl's rules say complete and (when {@code replicas >= 0}) that many owned pods are ready. */
    private void awaitRolledOut(RestartJob job, Instant deadline, int replicas) {
        poll(job, deadline, current -> {
            RolloutStatus.Verdict verdict = RolloutStatus.of(current);
            if (verdict.state() == RolloutStatus.State.FAILED) {
                throw new RestartFailure(RestartFailure.Reason.PROGRESS_DEADLINE_EXCEEDED, job.describe()
                        + ": " + verdict.message());
            }
            if (!verdict.complete()) {
                return Optional.of(verdict.message());
            }
            return replicas < 0 ? Optional.empty()
                    : readiness(current, resources.pods(job.namespace(), current), replicas);
        });
    }

    private static Optional<String> readiness(HasMetadata workload, List<Pod> pods, int desired) {
        if (RolloutStatus.rollingUpdate(workload)) {
            RolloutStatus.Verdict verdict = RolloutStatus.of(workload);
            if (verdict.state() == RolloutStatus.State.FAILED) {
                return Optional.of(verdict.message());
            }
            if (!verdict.complete()) {
                return Optional.of(verdict.message());
            }
        }
        long ready = pods.stream().filter(WorkloadResources::ready).count();
        return ready >= desired ? Optional.empty() : Optional.of(ready + " of " + desired + " pods ready");
    }

    /**
     * Reads the workload every poll interval until {@code check} says nothing is left to wait for (empty), or the
     * deadline passes.
     */
    private void poll(RestartJob job, Instant deadline, java.util.function.Function<HasMetadata, Optional<String>> check) {
        while (true) {
            HasMetadata current = resources.get(job.namespace(), job.ref());
            if (current == null) {
                throw new RestartFailure(RestartFailure.Reason.WORKLOAD_GONE, job.describe()
                        + " was deleted while it was being restarted");
            }
            Optional<String> waiting = check.apply(current);
            if (waiting.isEmpty()) {
                return;
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new RestartFailure(RestartFailure.Reason.ROLLOUT_TIMEOUT, job.describe() + " was not ready within "
                        + job.timeout() + " (consumers.rolloutTimeout): " + waiting.get());
            }
            try {
                pause.pause(pollInterval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServiceStopping(job.describe());
            }
        }
    }

    private ObjectNode markPatch(RestartJob job, String now) {
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("metadata").putObject("annotations")
                .put(RestartAnnotations.RESTARTED_FOR, RestartAnnotations.join(job.rotationIds()))
                .put(RestartAnnotations.RESTARTED_AT, now);
        return patch;
    }

    private static boolean createdBefore(Pod pod, Instant mark) {
        String created = pod.getMetadata().getCreationTimestamp();
        try {
            return created == null || Instant.parse(created).isBefore(mark);
        } catch (RuntimeException e) {
            return true;
        }
    }
}
