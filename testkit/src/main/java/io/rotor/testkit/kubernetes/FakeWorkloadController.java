package io.rotor.testkit.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * Stands in for the kube-controller-manager's workload controllers and the kubelet in a {@link KubernetesSandbox}:
 * watches Deployments, StatefulSets and DaemonSets in all namespaces (fabric8 informers over the mock's watch
 * support — no polling) and moves their ReplicaSets, pods and status the way a cluster would, so that code which
 * restarts workloads and waits for {@code kubectl rollout status}-style completion can be tested.
 *
 * <p>Behaviour, in short:
 * <ul>
 * <li>a new workload, or a pod-template change (e.g. {@code kubectl.kubernetes.io/restartedAt} from a rollout
 * restart), rolls pods one at a time; each pod becomes ready one step after it is created; steps are
 * {@link Options#stepDelay()} apart (zero by default);</li>
 * <li>deleted pods are recreated (Deployment/DaemonSet: new name; StatefulSet: same name), scaling adds or removes
 * pods, and a deleted workload takes its ReplicaSets and pods with it;</li>
 * <li>{@link #failRollouts(WorkloadRef)} makes new pods never become ready; a Deployment then reports
 * {@code Progressing=False/ProgressDeadlineExceeded} once {@link Options#progressDeadline()} has passed;</li>
 * <li>{@link #restartCount(WorkloadRef)} counts template changes seen after creation.</li>
 * </ul>
 * All reconciles run on one thread, so the controller never races itself; the API server (the CRUD mock) is the only
 * shared state.
 */
public final class FakeWorkloadController implements AutoCloseable {

    /** On a workload: its rollouts fail (see {@link #failRollouts}). */
    public static final String FAIL_ROLLOUTS_ANNOTATION = "testkit.rotor.io/fail-rollouts";

    /** Fake pods are placed on nodes named {@code sandbox-node-0..n-1}; no Node objects exist. */
    static final String NODE_PREFIX = "sandbox-node-";

    private static final Logger LOG = Logger.getLogger(FakeWorkloadController.class);
    private static final Duration CONFLICT_RETRY = Duration.ofMillis(20);
    private static final Duration ERROR_RETRY = Duration.ofMillis(500);

    /**
     * @param stepDelay time between two pod changes of one workload; zero moves as fast as the API allows
     * @param progressDeadline how long a failing Deployment rollout reports progress before it reports
     *        {@code ProgressDeadlineExceeded} — the fake's stand-in for {@code spec.progressDeadlineSeconds}
     * @param nodeCount fake nodes, i.e. pods per DaemonSet
     */
    public record Options(Duration stepDelay, Duration progressDeadline, int nodeCount) {

        public Options {
            Objects.requireNonNull(stepDelay, "stepDelay");
            Objects.requireNonNull(progressDeadline, "progressDeadline");
            if (stepDelay.isNegative() || progressDeadline.isNegative() || nodeCount < 1) {
                throw new IllegalArgumentException("Delays must not be negative and there must be a node");
            }
        }

        public static Options defaults() {
            return new Options(Duration.ZERO, Duration.ZERO, 1);
        }

        public Options withStepDelay(Duration delay) {
            return new Options(delay, progressDeadline, nodeCount);
        }

        public Options withProgressDeadline(Duration deadline) {
            return new Options(stepDelay, deadline, nodeCount);
        }

        public Options withNodeCount(int nodes) {
            return new Options(stepDelay, progressDeadline, nodes);
        }
    }

    private final KubernetesClient client;
    private final ScheduledExecutorService loop;
    private final Set<WorkloadRef> queued = ConcurrentHashMap.newKeySet();
    private final Set<WorkloadRef> failing = ConcurrentHashMap.newKeySet();
    private final Map<WorkloadRef, Integer> failFirstRestarts = new ConcurrentHashMap<>();
    private final Map<WorkloadRef, AtomicInteger> restarts = new ConcurrentHashMap<>();
    /** Only touched on the loop thread. */
    private final Map<WorkloadRef, RolloutState> states = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final DeploymentReconciler deployments;
    private final StatefulSetReconciler statefulSets;
    private final DaemonSetReconciler daemonSets;
    private SharedIndexInformer<ReplicaSet> replicaSetInformer;

    private FakeWorkloadController(KubernetesClient client, Options options) {
        this.client = client;
        this.loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fake-workload-controller");
            thread.setDaemon(true);
            return thread;
        });
        ControllerContext context = new ControllerContext(client, options);
        this.deployments = new DeploymentReconciler(context, this::countRestart);
        this.statefulSets = new StatefulSetReconciler(context, this::countRestart);
        this.daemonSets = new DaemonSetReconciler(context, this::countRestart);
    }

    /** Starts watching; returns once the informers have listed what already exists. */
    public static FakeWorkloadController start(KubernetesClient client, Options options) {
        FakeWorkloadController controller = new FakeWorkloadController(client, options);
        try {
            controller.startInformers();
        } catch (RuntimeException e) {
            controller.close();
            throw e;
        }
        return controller;
    }

    /** New pods of this workload never become ready until {@link #recoverRollouts(WorkloadRef)}. */
    public void failRollouts(WorkloadRef workload) {
        failing.add(workload);
        LOG.infof("Rollouts of %s will now fail", workload);
        enqueue(workload);
    }

    /** Lets a stuck rollout continue and later ones succeed. */
    public void recoverRollouts(WorkloadRef workload) {
        failing.remove(workload);
        LOG.infof("Rollouts of %s will now succeed", workload);
        enqueue(workload);
    }

    /** How many times the workload's pod template changed after it was created (rollout restarts, edits). */
    public int restartCount(WorkloadRef workload) {
        AtomicInteger count = restarts.get(workload);
        return count == null ? 0 : count.get();
    }

    /** Restart counts of every workload that restarted at least once. */
    public Map<WorkloadRef, Integer> restartCounts() {
        Map<WorkloadRef, Integer> snapshot = new HashMap<>();
        restarts.forEach((ref, count) -> snapshot.put(ref, count.get()));
        return Map.copyOf(snapshot);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        loop.shutdownNow();
        try {
            if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The fake workload controller did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startInformers() {
        // ReplicaSets first: pod events are mapped to their Deployment through this informer's cache.
        replicaSetInformer = client.apps().replicaSets().inAnyNamespace().inform(handler(this::onReplicaSet), 0);
        informers.add(replicaSetInformer);
        informers.add(client.pods().inAnyNamespace().inform(handler(this::onPod), 0));
        informers.add(client.apps().deployments().inAnyNamespace()
                .inform(handler(d -> onWorkload(ref(WorkloadKind.DEPLOYMENT, d), d)), 0));
        informers.add(client.apps().statefulSets().inAnyNamespace()
                .inform(handler(s -> onWorkload(ref(WorkloadKind.STATEFUL_SET, s), s)), 0));
        informers.add(client.apps().daemonSets().inAnyNamespace()
                .inform(handler(s -> onWorkload(ref(WorkloadKind.DAEMON_SET, s), s)), 0));
    }

    /**
     * A workload annotated {@value #FAIL_ROLLOUTS_ANNOTATION} fails rollouts: {@code "true"} all of them, as after
     * {@link #failRollouts}; a number N the first N restarts (template changes), after which rollouts work again —
     * a rollout that fails with a new credential and succeeds when rolled back. The way to ask for either from
     * another process (the system tests' sandbox runs apart).
     */
    private void onWorkload(WorkloadRef ref, HasMetadata workload) {
        Map<String, String> annotations = workload.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(FAIL_ROLLOUTS_ANNOTATION);
        if ("true".equals(value)) {
            failing.add(ref);
        } else if (value != null && value.matches("[0-9]{1,4}")) {
            failFirstRestarts.put(ref, Integer.parseInt(value));
        }
        enqueue(ref);
    }

    private void onReplicaSet(ReplicaSet replicaSet) {
        ownerOfKind(replicaSet, "Deployment")
                .ifPresent(owner -> enqueue(WorkloadRef.deployment(namespace(replicaSet), owner.getName())));
    }

    private void onPod(Pod pod) {
        Pods.controllerOf(pod).ifPresent(owner -> {
            switch (owner.getKind()) {
                case "StatefulSet" -> enqueue(WorkloadRef.statefulSet(namespace(pod), owner.getName()));
                case "DaemonSet" -> enqueue(WorkloadRef.daemonSet(namespace(pod), owner.getName()));
                case "ReplicaSet" -> {
                    ReplicaSet rs = replicaSetInformer.getStore()
                            .getByKey(Cache.namespaceKeyFunc(namespace(pod), owner.getName()));
                    if (rs != null) {
                        onReplicaSet(rs);
                    }
                }
                default -> {
                    // Not ours (a bare pod or one of a Job): nothing to reconcile.
                }
            }
        });
    }

    private void enqueue(WorkloadRef ref) {
        if (!queued.add(ref)) {
            return;
        }
        try {
            loop.execute(() -> {
                queued.remove(ref);
                reconcile(ref);
            });
        } catch (RejectedExecutionException closed) {
            queued.remove(ref);
        }
    }

    private void enqueueAfter(WorkloadRef ref, Duration delay) {
        if (delay.isZero()) {
            enqueue(ref);
            return;
        }
        try {
            loop.schedule(() -> enqueue(ref), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // Shutting down: nothing more to move.
        }
    }

    private void reconcile(WorkloadRef ref) {
        RolloutState state = states.computeIfAbsent(ref, r -> new RolloutState());
        int restartsSoFar = restartCount(ref);
        boolean fail = failing.contains(ref)
                || restartsSoFar > 0 && restartsSoFar <= failFirstRestarts.getOrDefault(ref, 0);
        try {
            ReconcileResult result = switch (ref.kind()) {
                case DEPLOYMENT -> deployments.reconcile(ref, state, fail);
                case STATEFUL_SET -> statefulSets.reconcile(ref, state, fail);
                case DAEMON_SET -> daemonSets.reconcile(ref, state, fail);
            };
            if (result.workloadGone()) {
                states.remove(ref);
                LOG.debugf("%s is gone; its pods were removed", ref);
            }
            result.requeueAfter().ifPresent(delay -> enqueueAfter(ref, delay));
        } catch (KubernetesClientException e) {
            if (loop.isShutdown()) {
                return;
            }
            if (e.getCode() == 409) {
                // Someone wrote the object between our read and write, as real controllers see all the time.
                LOG.debugf("Conflict reconciling %s; retrying", ref);
                enqueueAfter(ref, CONFLICT_RETRY);
            } else {
                LOG.warnf(e, "Reconciling %s failed (HTTP %d); retrying in %s", ref, e.getCode(), ERROR_RETRY);
                enqueueAfter(ref, ERROR_RETRY);
            }
        } catch (RuntimeException e) {
            if (loop.isShutdown()) {
                return;
            }
            LOG.warnf(e, "Reconciling %s failed; retrying in %s", ref, ERROR_RETRY);
            enqueueAfter(ref, ERROR_RETRY);
        }
    }

    private void countRestart(WorkloadRef ref) {
        int count = restarts.computeIfAbsent(ref, r -> new AtomicInteger()).incrementAndGet();
        LOG.infof("%s pod template changed: restart #%d", ref, count);
    }

    private static WorkloadRef ref(WorkloadKind kind, HasMetadata object) {
        return new WorkloadRef(kind, namespace(object), object.getMetadata().getName());
    }

    private static String namespace(HasMetadata object) {
        return object.getMetadata().getNamespace();
    }

    private static Optional<OwnerReference> ownerOfKind(HasMetadata object, String kind) {
        return Pods.controllerOf(object).filter(owner -> kind.equals(owner.getKind()));
    }

    /** Every add, update and delete of a watched object triggers the same thing: look at its workload again. */
    private static <T> ResourceEventHandler<T> handler(Consumer<T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                onChange.accept(object);
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                onChange.accept(newObject);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                onChange.accept(object);
            }
        };
    }
}
