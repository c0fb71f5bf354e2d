package io.rotor.restart;

import static org.awaitility.Awaitility.await;

import io.rotor.contracts.credential.RestartStrategy;
import io.rotor.contracts.credential.WorkloadKind;
import io.rotor.contracts.credential.WorkloadRef;
import io.rotor.k8s.ApiCalls;
import io.rotor.kit.retry.Backoff;
import io.rotor.kit.retry.Pause;
import io.rotor.testing.TestWorkloads;
import io.rotor.testkit.kubernetes.KubectlRolloutStatus;
import io.rotor.testkit.kubernetes.KubernetesSandboxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Figures, not assertions on time: restarts through the coordinator against the sandbox, as {@code BENCH} lines. */
class RestartBenchmarkMockTest {

    private static final Logger LOG = Logger.getLogger(RestartBenchmarkMockTest.class);

    @RegisterExtension
    static final KubernetesSandboxExtension K8S = KubernetesSandboxExtension.withDefaults();

    @Test
    void restartingTwentyDeploymentsInOneNamespace() {
        List<WorkloadRef> refs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            K8S.client().resource(TestWorkloads.deployment("bench-" + i, 2, "s")).create();
            refs.add(new WorkloadRef(WorkloadKind.DEPLOYMENT, "bench-" + i));
        }
        refs.forEach(r -> await().atMost(Duration.ofSeconds(60)).until(() -> KubectlRolloutStatus.of(
                K8S.client().apps().deployments().withName(r.name()).get()).isComplete()));
        int round = 0;
        for (RestartStrategy strategy : RestartStrategy.values()) {
            for (int perNamespace : new int[] {1, 4}) {
                long t0 = System.nanoTime();
                List<Duration> each = restartAll(refs, strategy, perNamespace, "bench-" + round++);
                long t1 = System.nanoTime();
                List<Duration> sorted = each.stream().sorted().toList();
                LOG.infof("BENCH restarter: 20 Deployments x 2 replicas by %s, %d at a time: %d ms in all; per "
                        + "workload median %d ms, max %d ms", WorkloadRestarter.value(strategy), perNamespace,
                        (t1 - t0) / 1_000_000, sorted.get(sorted.size() / 2).toMillis(),
                        sorted.get(sorted.size() - 1).toMillis());
            }
        }
    }

    private static List<Duration> restartAll(List<WorkloadRef> refs, RestartStrategy strategy, int perNamespace,
            String rotation) {
        ExecutorService workers = Executors.newFixedThreadPool(8);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        try {
            WorkloadRestarter restarter = new WorkloadRestarter(new WorkloadResources(K8S.client(),
                    new ApiCalls(new Backoff(Duration.ofMillis(10), 2.0, Duration.ofMillis(100), 5, 0), Pause.REAL)),
                    Clock.systemUTC(), Pause.REAL, Duration.ofMillis(20));
            RestartCoordinator coordinator = new RestartCoordinator(restarter::restart,
                    (delay, task) -> timers.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS), workers,
                    Clock.systemUTC(), Duration.ZERO, Duration.ZERO, perNamespace);
            List<CompletableFuture<RestartResult>> all = new ArrayList<>();
            for (WorkloadRef ref : refs) {
                all.add(coordinator.request(K8S.sandbox().namespace(), ref, strategy, rotation, Duration.ofMinutes(2)));
            }
            return all.stream().map(CompletableFuture::join).map(RestartResult::took).toList();
        } finally {
            workers.shutdownNow();
            timers.shutdownNow();
        }
    }
}
