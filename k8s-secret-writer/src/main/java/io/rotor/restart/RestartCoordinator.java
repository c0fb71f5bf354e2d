package io.rotor.restart;

import io.rotor.contracts.credential.RestartStrategy;
import io.rotor.contracts.credential.WorkloadRef;
import io.rotor.kit.logging.LogContext;
import io.rotor.kit.retry.ConcurrencyLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Decides when each workload restarts, so that it restarts once for a burst of Secret changes and few at a time:
 * <ul>
 * <li><b>debounce</b>: the first request for a workload opens a batch; it closes once no further request for the
 * workload has come for the debounce window (or, at the latest, {@code maxWait} after it opened, so that a steady
 * trickle cannot postpone the restart for ever); every request until then joins it, and one restart serves them all
 * (50 Secrets of one Deployment rotated together: one restart);</li>
 * <li><b>one at a time per workload</b>: a batch that closes while the workload's previous restart is still running
 * starts after it;</li>
 * <li><b>bounded per namespace</b>: at most {@code perNamespace} restarts run at once in a namespace; the rest wait
 * for a slot, holding no thread.</li>
 * </ul>
 * The strongest strategy asked for in a batch wins (scale-to-zero over delete-pods over rollout), and the longest
 * timeout.
 */
final class RestartCoordinator {

    /** Runs one restart, blocking until the workload is ready (or the restart failed). */
    @FunctionalInterface
    interface Restarts {
        RestartResult restart(RestartJob job);
    }

    /** Runs a task after a delay; the debounce timer. */
    @FunctionalInterface
    interface Scheduler {
        void schedule(Duration delay, Runnable task);
    }

    private static final Logger LOG = Logger.getLogger(RestartCoordinator.class);

    private record Key(String namespace, WorkloadRef ref) {
    }

    private static final class Batch {
        final Key key;
        final Set<String> rotationIds = new LinkedHashSet<>();
        final CompletableFuture<RestartResult> result = new CompletableFuture<>();
        final Instant opened;
        Instant lastRequest;
        RestartStrategy strategy;
        Duration timeout = Duration.ZERO;

        Batch(Key key, Instant opened) {
            this.key = key;
            this.opened = opened;
            this.lastRequest = opened;
        }

        /** When the batch may close, as of now: after a quiet window, but no later than maxWait after it opened. */
        Instant closesAt(Duration debounce, Duration maxWait) {
            Instant quiet = lastRequest.plus(debounce);
            Instant latest = opened.plus(maxWait);
            return quiet.isBefore(latest) ? quiet : latest;
        }
    }

    private final Restarts restarts;
    private final Scheduler scheduler;
    private final Executor workers;
    private final Duration debounce;
    private final Duration maxWait;
    private final Clock clock;
    /** Guarded by this. */
    private final Map<Key, Batch> collecting = new HashMap<>();
    /** Guarded by this. */
    private final Map<Key, CompletableFuture<?>> running = new HashMap<>();
    /** Restarts running per namespace, keyed by namespace. */
    private final ConcurrencyLimiter namespaces;

    RestartCoordinator(Restarts restarts, Scheduler scheduler, Executor workers, Clock clock, Duration debounce,
            Duration maxWait, int perNamespace) {
        this.restarts = restarts;
        this.scheduler = scheduler;
        this.workers = workers;
        this.clock = clock;
        this.debounce = debounce;
        this.maxWait = maxWait.compareTo(debounce) < 0 ? debounce : maxWait;
        this.namespaces = new ConcurrencyLimiter(perNamespace);
    }

    /** Asks for a restart of the workload on behalf of a rotation; completes when the workload is ready again. */
    CompletableFuture<RestartResult> request(String namespace, WorkloadRef ref, RestartStrategy strategy,
            String rotationId, Duration timeout) {
        Key key = new Key(namespace, ref);
        Batch batch;
        boolean opened = false;
        synchronized (this) {
            Instant now = clock.instant();
            batch = collecting.get(key);
            if (batch == null) {
                batch = new Batch(key, now);
                collecting.put(key, batch);
                opened = true;
            }
            batch.lastRequest = now;
            batch.rotationIds.add(rotationId);
            if (batch.strategy == null || strategy.ordinal() > batch.strategy.ordinal()) {
                batch.strategy = strategy;
            }
            if (timeout.compareTo(batch.timeout) > 0) {
                batch.timeout = timeout;
            }
        }
        if (opened) {
            Batch opening = batch;
            scheduler.schedule(debounce, () -> maybeClose(opening));
        }
        return batch.result;
    }

    /** Closes the batch if its window has passed; otherwise looks again when it will have. */
    private void maybeClose(Batch batch) {
        Duration left;
        synchronized (this) {
            left = Duration.between(clock.instant(), batch.closesAt(debounce, maxWait));
        }
        if (left.isNegative() || left.isZero()) {
            close(batch);
        } else {
            scheduler.schedule(left, () -> maybeClose(batch));
        }
    }

    private void close(Batch batch) {
        RestartJob job;
        CompletableFuture<RestartResult> run;
        synchronized (this) {
            if (collecting.get(batch.key) != batch) {
                return;
            }
            collecting.remove(batch.key);
            job = new RestartJob(batch.key.namespace(), batch.key.ref(), batch.strategy, batch.rotationIds, batch.timeout);
            CompletableFuture<?> previous = running.getOrDefault(batch.key, CompletableFuture.completedFuture(null));
            // Chained under the lock, so that a later batch of the same workload always waits for this one.
            run = previous.handle((r, e) -> null)
                    .thenCompose(ignored -> namespaces.run(job.namespace(),
                            () -> CompletableFuture.supplyAsync(() -> execute(job), workers)))
                    .toCompletableFuture();
            running.put(batch.key, run);
        }
        LOG.debugf("%s: %d rotation(s) in one restart", job.describe(), job.rotationIds().size());
        run.whenComplete((result, error) -> {
            synchronized (this) {
                running.remove(batch.key, run);
            }
            if (error != null) {
                batch.result.completeExceptionally(error instanceof java.util.concurrent.CompletionException
                        && error.getCause() != null ? error.getCause() : error);
            } else {
                batch.result.complete(result);
            }
        });
    }

    private RestartResult execute(RestartJob job) {
        try (var ctx = LogContext.of(Map.of("workload", job.describe(),
                "rotationIds", RestartAnnotations.join(job.rotationIds())))) {
            return restarts.restart(job);
        }
    }

    /** Restarts running now in the namespace (for tests and metrics). */
    int running(String namespace) {
        return namespaces.running(namespace);
    }
}
