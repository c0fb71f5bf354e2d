package io.rotor.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rotor.contracts.credential.Consumers;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import io.rotor.k8s.ApiCalls;
import io.rotor.k8s.ServiceStopping;
import io.rotor.kit.credential.ManagedCredentialSource;
import io.rotor.kit.retry.Backoff;
import io.rotor.kit.workload.WorkloadDiscovery;
import io.rotor.testing.Rotations;
import io.rotor.testing.StartedRotations;
import io.rotor.testing.TestWorkloads;
import io.rotor.testkit.kubernetes.KubernetesSandboxExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The restarter's logic with real discovery in the sandbox and restarts played by a test double. */
class PodRestarterMockTest {

    @RegisterExtension
    static final KubernetesSandboxExtension K8S = KubernetesSandboxExtension.with(b -> b.withoutController());

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final StartedRotations started = new StartedRotations(K8S.client());

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void everyWorkloadThatIsNotReadyIsNamedInOneStepFailed() throws Exception {
        K8S.client().resource(TestWorkloads.deployment("a-" + id, 1, "s-" + id)).create();
        K8S.client().resource(TestWorkloads.statefulSet("b-" + id, 1, "s-" + id)).create();
        K8S.client().resource(TestWorkloads.deployment("c-" + id, 1, "s-" + id)).create();
        PodRestarter restarter = restarter(job -> switch (job.ref().name().charAt(0)) {
            case 'a' -> throw new RestartFailure(RestartFailure.Reason.PROGRESS_DEADLINE_EXCEEDED, "a is stuck");
            case 'b' -> throw new RestartFailure(RestartFailure.Reason.ROLLOUT_TIMEOUT, "b is slow");
            default -> new RestartResult(job.ref(), "rollout", Instant.now(), Instant.now(), false, 1);
        });

        RotorEvent answer = restarter.restart(secretWritten()).get(10, TimeUnit.SECONDS);

        assertThat(answer).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.step()).isEqualTo(Step.WORKLOADS_RESTARTED);
            assertThat(f.errorCode()).isEqualTo("progress_deadline_exceeded");
            assertThat(f.message()).isEqualTo("a is stuck; b is slow");
        });
    }

    @Test
    void aRestartInterruptedByShutdownIsNeitherAnsweredNorAcknowledged() {
        K8S.client().resource(TestWorkloads.deployment("a-" + id, 1, "s-" + id)).create();
        PodRestarter restarter = restarter(job -> {
            throw new ServiceStopping(job.describe());
        });

        CompletableFuture<RotorEvent> answer = restarter.restart(secretWritten());

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !answer.isDone());
    }

    @Test
    void noReaderIsAnsweredAtOnceWithZeroWorkloads() throws Exception {
        PodRestarter restarter = restarter(job -> {
            throw new AssertionError("nothing to restart");
        });

        RotorEvent answer = restarter.restart(secretWritten()).get(10, TimeUnit.SECONDS);

        assertThat(answer).isInstanceOfSatisfying(StepCompleted.class,
                done -> assertThat(done.details()).containsExactly(Map.entry("workloads", "0")));
    }

    private PodRestarter restarter(RestartCoordinator.Restarts restarts) {
        RestartCoordinator coordinator = new RestartCoordinator(restarts, (delay, task) -> threads.submit(task), threads,
                Clock.systemUTC(), Duration.ZERO, Duration.ZERO, 4);
        return new PodRestarter(new WorkloadDiscovery(K8S.client()),
                new ApiCalls(new Backoff(Duration.ofMillis(1), 2.0, Duration.ofMillis(1), 2, 0), d -> { }), coordinator, threads,
                Clock.systemUTC(), started, new ManagedCredentialSource(K8S.client()));
    }

    private StepCompleted secretWritten() {
        CredentialRef credential = new CredentialRef(K8S.sandbox().namespace(), "cred-" + id);
        ManagedCredentialSpec spec = Rotations.spec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD,
                List.of(Rotations.keys("s-" + id, Map.of("password", "password"))), null,
                new Consumers(null, null, null, Duration.ofMinutes(1)));
        String rotationId = Rotations.newRotationId();
        started.start(rotationId, credential, spec);
        return Rotations.secretWritten(rotationId, credential, spec);
    }
}
