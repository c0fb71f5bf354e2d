package io.rotor.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.support.Fixtures;
import io.rotor.orchestrator.support.KafkaProbe;
import io.rotor.orchestrator.support.MutableClock;
import io.rotor.orchestrator.worker.OwnerWorker;
import io.rotor.orchestrator.worker.OwnerWorkers;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue point 7: scheduled credentials become due and are requested once, by the member that owns them. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class SchedulerTest {

    @KafkaBootstrapServers
    String bootstrap;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @Inject
    CredentialRegistry registry;

    @Inject
    OwnerWorkers workers;

    @Inject
    MutableClock clock;

    KafkaProbe probe;
    OwnerWorker second;

    @BeforeEach
    void probe() {
        probe = KafkaProbe.on(bootstrap);
    }

    @AfterEach
    void restore() {
        clock.reset();
        if (second != null) {
            second.stop();
        }
        OwnerWorker primary = workers.primary().orElseThrow();
        if (!primary.running()) {
            primary.start();
        }
    }

    @Test
    void aDueCredentialIsRequestedExactlyOnceWithTwoOrchestratorMembersRunning() throws Exception {
        OwnerWorker primary = workers.primary().orElseThrow();
        second = workers.create("replica-2");
        second.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> !second.ownedPartitions().isEmpty()
                && !primary.ownedPartitions().isEmpty());
        CredentialRef ref = scheduled("due", "{interval: PT10M}");
        assertThat(scheduledRequests(ref)).isEmpty();

        clock.advance(Duration.ofMinutes(11));

        RotationRequested request = probe.await(RotationRequested.class, ref,
                r -> RotationRequested.SCHEDULER.equals(r.requestedBy()));
        assertThat(request.requestId()).startsWith("scheduled-");
        probe.await(RotationStarted.class, ref);
        long primaryTicks = primary.ticks();
        long secondTicks = second.ticks();
        await().until(() -> primary.ticks() > primaryTicks + 5 && second.ticks() > secondTicks + 5);
        assertThat(scheduledRequests(ref)).hasSize(1);
        assertThat(probe.events(RotationStarted.class, ref)).hasSize(1);
    }

    @Test
    void slotsMissedWhileEverythingWasDownRunOnceOnStartUp() throws Exception {
        CredentialRef ref = scheduled("missed", "{cron: \"* * * * *\"}");
        OwnerWorker primary = workers.primary().orElseThrow();
        primary.stop();

        // Twelve one-minute slots pass with no orchestrator running.
        clock.advance(Duration.ofMinutes(12));
        primary.start();

        probe.await(RotationRequested.class, ref, r -> RotationRequested.SCHEDULER.equals(r.requestedBy()));
        probe.await(RotationStarted.class, ref);
        long ticks = primary.ticks();
        await().until(() -> primary.ticks() > ticks + 5);
        assertThat(scheduledRequests(ref)).hasSize(1);
    }

    @Test
    void aCredentialWithoutAScheduleIsNeverRequestedByTheScheduler() {
        String name = Fixtures.unique("manual-only");
        CredentialRef ref = Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, name,
                Fixtures.redisAcl(Fixtures.NAMESPACE, name, ""));
        OwnerWorker owner = ownerOf(ref);

        clock.advance(Duration.ofDays(400));
        long ticks = owner.ticks();
        await().until(() -> owner.ticks() > ticks + 3);

        assertThat(scheduledRequests(ref)).isEmpty();
    }

    private CredentialRef scheduled(String prefix, String schedule) {
        String name = Fixtures.unique(prefix);
        return Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, name,
                Fixtures.redisAcl(Fixtures.NAMESPACE, name, "  schedule: " + schedule + "\n"));
    }

    private List<RotationRequested> scheduledRequests(CredentialRef ref) {
        return probe.events(RotationRequested.class, ref).stream()
                .filter(r -> RotationRequested.SCHEDULER.equals(r.requestedBy())).toList();
    }

    /** The member owning a credential, once the group has settled (another test may just have stopped a member). */
    private OwnerWorker ownerOf(CredentialRef ref) {
        await().atMost(Duration.ofSeconds(30)).until(() -> workers.ownerOf(ref).isPresent());
        return workers.ownerOf(ref).orElseThrow();
    }
}
