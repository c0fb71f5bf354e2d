package io.rotor.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rotor.contracts.credential.RestartStrategy;
import io.rotor.contracts.credential.WorkloadKind;
import io.rotor.contracts.credential.WorkloadRef;
import io.rotor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Debounce, one restart at a time per workload, and the per-namespace bound, with a hand-fired debounce timer. */
class RestartCoordinatorTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final WorkloadRef APP = new WorkloadRef(WorkloadKind.DEPLOYMENT, "app");

    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final List<Runnable> timers = new CopyOnWriteArrayList<>();
    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    private final FakeRestarts restarts = new FakeRestarts();
    private final MutableClock clock = MutableClock.startingNow();
    private final RestartCoordinator coordinator = new RestartCoordinator(restarts, (delay, task) -> {
        delays.add(delay);
        timers.add(task);
    }, workers, clock, Duration.ofSeconds(2), Duration.ofSeconds(10), 2);

    @AfterEach
    void stop() {
        restarts.releaseAll();
        workers.shutdownNow();
    }

    @Test
    void fiftySecretsOfOneDeploymentChangingTogetherRestartItOnce() throws Exception {
        List<CompletableFuture<RestartResult>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            results.add(coordinator.request("ns", APP, RestartStrategy.ROLLOUT, "rot-" + i, TIMEOUT));
        }

        clock.advance(Duration.ofSeconds(2));
        fireTimers();
        restarts.releaseAll();

        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(restarts.jobs).singleElement().satisfies(job -> {
            assertThat(job.rotationIds()).hasSize(50).contains("rot-0", "rot-49");
            assertThat(job.ref()).isEqualTo(APP);
        });
        assertThat(results).allSatisfy(r -> assertThat(r.get().rotations()).isEqualTo(50));
        assertThat(delays).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void aBurstKeepsTheWindowOpenUntilItIsQuiet() throws Exception {
        var first = coordinator.request("ns", APP, RestartStrategy.ROLLOUT, "rot-1", TIMEOUT);
        clock.advance(Duration.ofMillis(1500));
        coordinator.request("ns", APP, RestartStrategy.ROLLOUT, "rot-2", TIMEOUT);
        clock.advance(Duration.ofMillis(500));

        fireTimers(); // two seconds after the first request, but only half a second after the last: not yet
        assertThat(restarts.started).hasValue(0);
        assertThat(delays).containsExactly(Duration.ofSeconds(2), Duration.ofMillis(1500));

        coordinator.request("ns", APP, RestartStrategy.ROLLOUT, "rot-3", TIMEOUT);
        clock.advance(Duration.ofSeconds(2));
        fireTimers();
        restarts.releaseAll();

        assertThat(first.get(5, TimeUnit.SECONDS).rotations()).isEqualTo(3);
        assertThat(restarts.jobs).hasSize(1);
    }

    @Test
    void aSteadyTrickleCannotPostponeTheRestartBeyondTheMaximumWait() throws Exception {
        var first = coordinator.request("ns", APP, RestartStrategy.ROLLOUT, "rot-0", TIMEOUT);
        for (int i = 1; i <= 12; i++) {
            clock.advance(Duration.ofSeconds(1));
            coordinator.request("ns", APP, RestartStrategy.ROLLOUT, "rot-" + i, TIMEOUT);
            fireTimers();
        }
        restarts.releaseAll();

        assertThat(first.get(5, TimeUnit.SECONDS).rotations()).as("closed at 10 s, with the requests so far")
                .isEqualTo(11);
    }

    @Test
    void aRequestAfterTheWindowRestartsAgainButOnlyAfterTheRunningRestart() throws Exception {
        CompletableFuture<RestartResult> first = coordinator.request("ns", APP, RestartStrategy.ROLLOUT, "rot-1", TIMEOUT);
        windowPasses();
        await().until(() -> restarts.started.get() == 1);

        CompletableFuture<RestartResult> second = coordinator.request("ns", APP, RestartStrategy.ROLLOUT, "rot-2", TIMEOUT);
        windowPasses();

        Thread.sleep(100); // a second restart of the same workload must not start while the first runs
        assertThat(restarts.started).hasValue(1);
        restarts.release("rot-1");
        first.get(5, TimeUnit.SECONDS);
        await().until(() -> restarts.started.get() == 2);
        restarts.release("rot-2");
        second.get(5, TimeUnit.SECONDS);
        assertThat(restarts.maxConcurrentPerWorkload.get()).isEqualTo(1);
        assertThat(restarts.jobs).extracting(RestartJob::rotationIds)
                .containsExactly(java.util.Set.of("rot-1"), java.util.Set.of("rot-2"));
    }

    @Test
    void restartsInOneNamespaceAreBoundedAndOtherNamespacesAreNotHeldUp() throws Exception {
        List<CompletableFuture<RestartResult>> busy = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            busy.add(coordinator.request("busy", new WorkloadRef(WorkloadKind.DEPLOYMENT, "w" + i),
                    RestartStrategy.ROLLOUT, "rot-busy-" + i, TIMEOUT));
        }
        CompletableFuture<RestartResult> other = coordinator.request("other", APP, RestartStrategy.ROLLOUT, "rot-other", TIMEOUT);

        windowPasses();

        await().until(() -> restarts.started.get() == 3);
        assertThat(coordinator.running("busy")).isEqualTo(2);
        restarts.release("rot-other");
        other.get(5, TimeUnit.SECONDS);
        restarts.releaseAll();
        CompletableFuture.allOf(busy.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(restarts.maxConcurrentIn("busy")).isEqualTo(2);
        assertThat(coordinator.running("busy")).isZero();
    }

    @Test
    void theStrongestStrategyAndTheLongestTimeoutInABatchWin() throws Exception {
        var a = coordinator.request("ns", APP, RestartStrategy.DELETE_PODS, "a", Duration.ofMinutes(1));
        coordinator.request("ns", APP, RestartStrategy.SCALE_TO_ZERO, "b", Duration.ofMinutes(5));
        coordinator.request("ns", APP, RestartStrategy.ROLLOUT, "c", Duration.ofMinutes(2));

        windowPasses();
        restarts.releaseAll();
        a.get(5, TimeUnit.SECONDS);

        assertThat(restarts.jobs).singleElement().satisfies(job -> {
            assertThat(job.strategy()).isEqualTo(RestartStrategy.SCALE_TO_ZERO);
            assertThat(job.timeout()).isEqualTo(Duration.ofMinutes(5));
        });
    }

    @Test
    void aFailedRestartFailsItsWholeBatchAndTheNextBatchStillRuns() throws Exception {
        restarts.failWith = new RestartFailure(RestartFailure.Reason.PROGRESS_DEADLINE_EXCEEDED, "stuck");
        var a = coordinator.request("ns", APP, RestartStrategy.ROLLOUT, "a", TIMEOUT);
        var b = coordinator.request("ns", APP, RestartStrategy.ROLLOUT, "b", TIMEOUT);
        windowPasses();
        restarts.releaseAll();

        assertThat(a).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(RestartFailure.class);
        assertThat(b).isCompletedExceptionally();

        restarts.failWith = null;
        var c = coordinator.request("ns", APP, RestartStrategy.ROLLOUT, "c", TIMEOUT);
        windowPasses();
        restarts.releaseAll();
        assertThat(c.get(5, TimeUnit.SECONDS).rotations()).isEqualTo(1);
    }

    /** Runs the timers scheduled so far (not the ones they schedule in turn). */
    private void fireTimers() {
        List<Runnable> due = new ArrayList<>(timers);
        timers.clear();
        due.forEach(Runnable::run);
    }

    private void windowPasses() {
        clock.advance(Duration.ofSeconds(2));
        fireTimers();
    }

    /** Restarts that block until released by rotation id, recording concurrency. */
    private static final class FakeRestarts implements RestartCoordinator.Restarts {
        final List<RestartJob> jobs = new CopyOnWriteArrayList<>();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger maxConcurrentPerWorkload = new AtomicInteger();
        final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> runningIn = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> maxIn = new ConcurrentHashMap<>();
        final Map<WorkloadRef, AtomicInteger> runningOf = new ConcurrentHashMap<>();
        volatile boolean open;
        volatile RuntimeException failWith;

        @Override
        public RestartResult restart(RestartJob job) {
            jobs.add(job);
            started.incrementAndGet();
            int ns = runningIn.computeIfAbsent(job.namespace(), k -> new AtomicInteger()).incrementAndGet();
            maxIn.computeIfAbsent(job.namespace(), k -> new AtomicInteger()).accumulateAndGet(ns, Math::max);
            int w = runningOf.computeIfAbsent(job.ref(), k -> new AtomicInteger()).incrementAndGet();
            maxConcurrentPerWorkload.accumulateAndGet(w, Math::max);
            try {
                for (String id : job.rotationIds()) {
                    CountDownLatch gate = gates.computeIfAbsent(id, k -> new CountDownLatch(1));
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!open && !gate.await(10, TimeUnit.MILLISECONDS) && System.nanoTime() < end) {
                        // released one by one, or all at once through the open flag
                    }
                }
                if (failWith != null) {
                    throw failWith;
                }
                Instant now = Instant.now();
                return new RestartResult(job.ref(), "rollout", now, now, false, job.rotationIds().size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                runningIn.get(job.namespace()).decrementAndGet();
                runningOf.get(job.ref()).decrementAndGet();
            }
        }

        void release(String rotationId) {
            gates.computeIfAbsent(rotationId, k -> new CountDownLatch(1)).countDown();
        }

        void releaseAll() {
            open = true;
            gates.values().forEach(CountDownLatch::countDown);
        }

        int maxConcurrentIn(String namespace) {
            return maxIn.getOrDefault(namespace, new AtomicInteger()).get();
        }
    }
}
