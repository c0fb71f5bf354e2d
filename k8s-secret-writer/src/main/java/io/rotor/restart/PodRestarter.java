package io.rotor.restart;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.contracts.credential.Consumers;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.MessageLimit;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import io.rotor.k8s.ApiCalls;
import io.rotor.k8s.ApiError;
import io.rotor.k8s.ServiceStopping;
import io.rotor.kit.credential.ManagedCredentialSource;
import io.rotor.kit.logging.LogContext;
import io.rotor.kit.messaging.RecordRefused;
import io.rotor.kit.retry.Pause;
import io.rotor.kit.rotation.RotationAuthority;
import io.rotor.kit.workload.ConsumerWorkload;
import io.rotor.kit.workload.WorkloadDiscovery;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The pod restarter's logic. On {@code StepCompleted(SECRET_WRITTEN)} (or {@code SECRET_RESTORED} in a rollback) it
 * finds the credential's consumers ({@link WorkloadDiscovery}), asks the {@link RestartCoordinator} to restart each by
 * the credential's strategy, and answers {@code StepCompleted(WORKLOADS_RESTARTED)} (or {@code WORKLOADS_RESTORED})
 * with a timing per workload once every one is ready — or {@code StepFailed} naming each one that is not.
 *
 * <p>Non-blocking: {@link #handle} returns at once; discovery and restarts run on the restarter's own threads.
 */
@ApplicationScoped
public class PodRestarter {

    private static final Logger LOG = Logger.getLogger(PodRestarter.class);

    private final WorkloadDiscovery discovery;
    private final ApiCalls api;
    private final RestartCoordinator coordinator;
    private final Executor discoveryThreads;
    private final Clock clock;
    private final RotationAuthority authority;
    private final ManagedCredentialSource credentials;
    private final List<ExecutorService> owned = new ArrayList<>();
    private volatile boolean stopping;

    @Inject
    public PodRestarter(KubernetesClient client, RestarterConfig config, Clock clock, RotationAuthority authority) {
        this.clock = clock;
        this.authority = authority;
        this.credentials = new ManagedCredentialSource(client);
        this.discovery = new WorkloadDiscovery(client);
        ExecutorService discoveryPool = Executors.newFixedThreadPool(2, named("restarter-discovery"));
        ExecutorService restartPool = Executors.newFixedThreadPool(config.threads(), named("restarter"));
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(named("restarter-debounce"));
        owned.addAll(List.of(discoveryPool, restartPool, timers));
        this.discoveryThreads = discoveryPool;
        this.api = new ApiCalls(config.retry().backoff(), Pause.REAL);
        WorkloadRestarter restarter = new WorkloadRestarter(new WorkloadResources(client, api), clock, Pause.REAL,
                config.pollInterval());
        this.coordinator = new RestartCoordinator(restarter::restart,
                (delay, task) -> timers.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS), restartPool, clock,
                config.debounce(), config.debounceMaxWait(), config.maxConcurrentPerNamespace());
    }

    PodRestarter(WorkloadDiscovery discovery, ApiCalls api, RestartCoordinator coordinator, Executor discoveryThreads,
            Clock clock, RotationAuthority authority, ManagedCredentialSource credentials) {
        this.authority = authority;
        this.credentials = credentials;
        this.discovery = discovery;
        this.api = api;
        this.coordinator = coordinator;
        this.discoveryThreads = discoveryThreads;
        this.clock = clock;
    }

    public CompletionStage<List<RotorEvent>> handle(DecodedEvent decoded) {
        if (decoded.event() instanceof StepCompleted completed
                && (completed.step() == Step.SECRET_WRITTEN || completed.step() == Step.SECRET_RESTORED)) {
            return restart(completed).thenApply(List::of);
        }
        return CompletableFuture.completedFuture(List.of());
    }

    /**
     * Only for the credential's rotation in flight, and only the workloads the ManagedCredential as stored in the API
     * names or that reference its Secrets — never what the record says: a forged or replayed record is refused (to
     * the DLQ) and restarts nothing.
     */
    CompletableFuture<RotorEvent> restart(StepCompleted event) {
        Step answer = event.step() == Step.SECRET_WRITTEN ? Step.WORKLOADS_RESTARTED : Step.WORKLOADS_RESTORED;
        Instant start = clock.instant();
        CompletableFuture<RotorEvent> answered = authority.current(event.credential(), event.rotationId())
                .toCompletableFuture()
                .thenApplyAsync(open -> {
                    if (!SpecDigest.of(event.spec()).equals(open.specDigest())) {
                        throw new RecordRefused(RecordRefused.Reason.SPEC_MISMATCH, "the " + event.step()
                                + " record's spec for rotation " + event.rotationId() + " of " + event.credential()
                                + " is not the one it started with");
                    }
                    return withMdc(event, () -> {
                        ManagedCredentialSpec spec = api.call("reading ManagedCredential " + event.credential(),
                                () -> credentials.specOf(open));
                        return new Found(spec, api.call("finding the readers of " + event.credential(),
                                () -> discovery.find(event.credential(), spec)));
                    });
                }, discoveryThreads)
                .thenCompose(targets -> {
                    Consumers consumers = targets.spec().consumersOrDefault();
                    List<ConsumerWorkload> found = targets.workloads();
                    List<String> missing = found.stream().filter(c -> !c.exists())
                            .map(c -> WorkloadResources.describe(event.credential().namespace(), c.ref())).toList();
                    if (!missing.isEmpty()) {
                        return CompletableFuture.completedFuture(failed(event, answer,
                                RestartFailure.Reason.WORKLOAD_NOT_FOUND.code(), "named in consumers.workloads but "
                                        + "not found: " + missing));
                    }
                    withMdc(event, () -> {
                        LOG.infof("restarting %d workload(s) by %s: %s", found.size(),
                                WorkloadRestarter.value(consumers.restartStrategyOrDefault()),
                                found.stream().map(c -> WorkloadResources.kindName(c.ref()) + "/" + c.ref().name()).toList());
                        return null;
                    });
                    List<CompletableFuture<Object>> restarts = new ArrayList<>();
                    String restartFor = restartKey(event);
                    for (ConsumerWorkload consumer : found) {
                        restarts.add(coordinator.request(event.credential().namespace(), consumer.ref(),
                                consumers.restartStrategyOrDefault(), restartFor, consumers.rolloutTimeoutOrDefault())
                                .handle((result, error) -> error == null ? result : unwrap(error)));
                    }
                    return CompletableFuture.allOf(restarts.toArray(CompletableFuture[]::new))
                            .thenApply(all -> answer(event, answer, restarts.stream().map(CompletableFuture::join).toList(),
                                    start));
                })
                .exceptionally(error -> {
                    Throwable cause = unwrap(error);
                    if (cause instanceof RecordRefused refused) {
                        throw refused;
                    }
                    return discoveryFailed(event, answer, cause);
                });
        return answered.thenCompose(this::unlessStopping);
    }

    /** What a restart acts on: the spec read from the API and the workloads it leads to. */
    private record Found(ManagedCredentialSpec spec, List<ConsumerWorkload> workloads) {
    }

    /**
     * While the service stops, interrupted waits end in failures that are not the step's: such an answer is not
     * published and its record not acknowledged (the future never completes), so the next instance gets the record
     * again and resumes.
     */
    private CompletableFuture<RotorEvent> unlessStopping(RotorEvent answer) {
        if (stopping && answer instanceof StepFailed) {
            LOG.infof("stopping: rotation %s is left unanswered and will be redelivered", answer.rotationId());
            return new CompletableFuture<>();
        }
        return CompletableFuture.completedFuture(answer);
    }

    /**
     * What a restart is recorded for on the workload: the rotation id for the forward restart, and
     * {@code <rotation id>/rollback} for the restart onto the restored values, which must happen even though the
     * workload was restarted for the same rotation before.
     */
    static String restartKey(StepCompleted event) {
        return event.step() == Step.SECRET_RESTORED ? event.rotationId() + "/rollback" : event.rotationId();
    }

    private RotorEvent answer(StepCompleted event, Step step, List<Object> outcomes, Instant start) {
        List<String> failures = new ArrayList<>();
        String code = null;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("workloads", Integer.toString(outcomes.size()));
        for (Object outcome : outcomes) {
            if (outcome instanceof RestartResult result) {
                details.put(WorkloadResources.kindName(result.ref()) + "/" + result.ref().name(), result.summary());
            } else {
                Throwable error = (Throwable) outcome;
                if (error instanceof ServiceStopping) {
                    stopping = true;
                }
                if (code == null) {
                    code = error instanceof RestartFailure f ? f.reason().code() : "restart_error";
                }
                failures.add(error instanceof RestartFailure ? error.getMessage()
                        : error.getClass().getSimpleName() + ": " + error.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            return failed(event, step, code, String.join("; ", failures));
        }
        withMdc(event, () -> {
            LOG.infof("%s: %d workload(s) ready", step, outcomes.size());
            return null;
        });
        return new StepCompleted(event.rotationId(), event.credential(), step, event.spec(), event.material(),
                event.previous(), details, Duration.between(start, clock.instant()));
    }

    private RotorEvent discoveryFailed(StepCompleted event, Step step, Throwable error) {
        if (error instanceof ServiceStopping) {
            stopping = true;
        }
        if (error instanceof ManagedCredentialSource.SpecChanged changed) {
            return failed(event, step, ManagedCredentialSource.SpecChanged.CODE, changed.getMessage());
        }
        if (error instanceof KubernetesClientException e) {
            String code = ApiError.of(e) == ApiError.FORBIDDEN ? RestartFailure.Reason.FORBIDDEN.code()
                    : RestartFailure.Reason.KUBERNETES_UNAVAILABLE.code();
            return failed(event, step, code, "finding the workloads that read the credential failed ("
                    + ApiError.describe(e) + "); the restarter needs list on Deployments, StatefulSets and DaemonSets");
        }
        return failed(event, step, "restart_error", "finding the workloads failed: " + error.getClass().getSimpleName()
                + ": " + error.getMessage());
    }

    private StepFailed failed(StepCompleted event, Step step, String code, String message) {
        String text = MessageLimit.apply(message);
        withMdc(event, () -> {
            LOG.errorf("%s failed (%s): %s", step, code, text);
            return null;
        });
        return new StepFailed(event.rotationId(), event.credential(), step, code, text, false, 1,
                event.spec().platform());
    }

    private static <T> T withMdc(StepCompleted event, java.util.function.Supplier<T> work) {
        try (var ctx = LogContext.of(event.credential(), event.rotationId())) {
            return work.get();
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @PreDestroy
    void stop() {
        stopping = true;
        owned.forEach(ExecutorService::shutdownNow);
    }
}
