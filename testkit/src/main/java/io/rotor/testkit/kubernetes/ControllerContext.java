package io.rotor.testkit.kubernetes;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** What every workload reconciler shares: the client, the options, pod listing and step execution. */
final class ControllerContext {

    private static final Logger LOG = Logger.getLogger(ControllerContext.class);

    private final KubernetesClient client;
    private final FakeWorkloadController.Options options;

    ControllerContext(KubernetesClient client, FakeWorkloadController.Options options) {
        this.client = client;
        this.options = options;
    }

    KubernetesClient client() {
        return client;
    }

    FakeWorkloadController.Options options() {
        return options;
    }

    /**
     * Live pods controlled by this owner. Pods controlled by an earlier object of the same kind and name (deleted
     * and recreated faster than we reconciled) are deleted on the way, as the garbage collector would; otherwise a
     * StatefulSet's fixed pod names would stay taken.
     */
    List<Pod> podsOwnedBy(String namespace, String ownerKind, String ownerName, String ownerUid) {
        List<Pod> owned = new ArrayList<>();
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            Optional<OwnerReference> controller = Pods.controllerOf(pod);
            if (controller.isEmpty() || Pods.isTerminating(pod)) {
                continue;
            }
            OwnerReference owner = controller.get();
            if (ownerUid.equals(owner.getUid())) {
                owned.add(pod);
            } else if (ownerKind.equals(owner.getKind()) && ownerName.equals(owner.getName())) {
                LOG.debugf("Deleting pod %s/%s of an earlier %s %s", namespace, pod.getMetadata().getName(),
                        ownerKind, ownerName);
                client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
            }
        }
        return owned;
    }

    /** Deletes every pod controlled by an object of this kind and name, e.g. after the owner was deleted. */
    void deletePodsOwnedBy(String namespace, String ownerKind, String ownerName) {
        client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(pod -> Pods.controllerOf(pod)
                        .map(ref -> ownerKind.equals(ref.getKind()) && ownerName.equals(ref.getName()))
                        .orElse(false))
                .forEach(pod -> client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete());
    }

    /** Whether a step changed pods, and when to look at the workload again (null: nothing pending). */
    record Step(boolean taken, Duration requeueAfter) {
    }

    /**
     * Runs the plan if the step delay allows it. Steps are spaced by {@code stepDelay} even though our own writes
     * trigger watch events at once: those reconciles find the gate closed and only refresh status.
     */
    Step maybeStep(RolloutState state, PodPlan plan, String namespace, Function<String, Pod> newPod) {
        if (plan.isEmpty()) {
            return new Step(false, null);
        }
        Duration wait = state.untilNextStep();
        if (!wait.isZero()) {
            return new Step(false, wait);
        }
        plan.delete().forEach(pod -> client.pods().inNamespace(namespace).withName(pod.getMetadata().getName())
                .delete());
        plan.markReady().forEach(pod -> markReady(namespace, pod));
        plan.create().forEach(name -> client.pods().inNamespace(namespace).resource(newPod.apply(name)).create());
        state.stepped(options.stepDelay());
        return new Step(true, options.stepDelay());
    }

    private void markReady(String namespace, Pod pod) {
        try {
            client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(live -> {
                live.setStatus(Pods.readyStatus(live));
                return live;
            });
        } catch (KubernetesClientException e) {
            // Deleted by the test since we listed it: the next reconcile replaces it.
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
    }

    /** For a failing rollout: whether the fake progress deadline has passed, and if not, how long until it does. */
    Duration untilProgressDeadline(RolloutState state) {
        Duration elapsed = Duration.between(state.rolloutStartedAt(), Instant.now());
        Duration left = options.progressDeadline().minus(elapsed);
        return left.isNegative() ? Duration.ZERO : left;
    }

    static <T extends HasMetadata> boolean isTerminating(T object) {
        return object.getMetadata().getDeletionTimestamp() != null;
    }

    static Duration earliest(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }
}
