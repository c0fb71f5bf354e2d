package io.rotor.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.RotationOutcomeKind;
import io.rotor.contracts.event.RejectionReason;
import io.rotor.contracts.event.RotationCancelled;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationRolledBack;
import io.rotor.contracts.event.RotationStalled;
import io.rotor.contracts.saga.SagaState;
import io.rotor.contracts.saga.Step;
import io.rotor.orchestrator.saga.FinishedRotation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RotationMetricsTest {

    static final CredentialRef REF = new CredentialRef("shop", "cache-user");
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RotationMetrics metrics = new RotationMetrics(registry);

    @Test
    void aCompletedRotationIsCountedAndTimedFromRequestToEndWithEachStep() {
        metrics.published(List.of(new RotationCompleted("r1", REF, Map.of(Step.PLATFORM_UPDATED,
                Duration.ofSeconds(2), Step.OLD_REVOKED, Duration.ofSeconds(30)), Duration.ofSeconds(40))),
                finished("r1", RotationOutcomeKind.COMPLETED, Duration.ofSeconds(41)), "redis-acl");

        assertThat(registry.get("rotor.rotations").tags("platform", "redis-acl", "outcome", "completed").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("rotor.rotation.duration").tags("outcome", "completed").timer()
                .totalTime(TimeUnit.SECONDS)).isEqualTo(41);
        assertThat(registry.get("rotor.step.duration").tags("step", "OLD_REVOKED").timer()
                .totalTime(TimeUnit.SECONDS)).isEqualTo(30);
        assertThat(registry.get("rotor.step.duration").timers()).hasSize(2);
    }

    @Test
    void eachOutcomeHasItsOwnLabelAndARejectionHasNoDuration() {
        metrics.published(List.of(new RotationRolledBack("r2", REF, Step.WORKLOADS_RESTARTED, "rollout_failed",
                "pods never ready", Map.of())), finished("r2", RotationOutcomeKind.ROLLED_BACK, Duration.ofMinutes(3)),
                "redis-acl");
        metrics.published(List.of(new RotationCancelled("r3", REF, "operator", "user:alice", null)),
                finished("r3", RotationOutcomeKind.CANCELLED, Duration.ofHours(2)), "configui");
        metrics.published(List.of(new RotationRejected(null, REF, "q1", RejectionReason.UNKNOWN_CREDENTIAL,
                "no such ManagedCredential")), null, "unknown");

        assertThat(registry.get("rotor.rotations").tags("outcome", "rolled_back").counter().count()).isEqualTo(1);
        assertThat(registry.get("rotor.rotations").tags("outcome", "cancelled", "platform", "configui").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("rotor.rotations").tags("outcome", "rejected", "platform", "unknown").counter()
                .count()).isEqualTo(1);
        assertThat(registry.find("rotor.rotation.duration").tags("outcome", "rejected").timer()).isNull();
        assertThat(registry.get("rotor.rotation.duration").tags("outcome", "cancelled").timer()
                .totalTime(TimeUnit.HOURS)).isEqualTo(2);
    }

    @Test
    void eventsThatEndNothingAreNotCountedAndAnotherRotationsTimesAreNotBorrowed() {
        metrics.published(List.of(new RotationStalled("r4", REF, SagaState.STARTED,
                Step.PLATFORM_UPDATED, T0, T0.plusSeconds(60), null)), null, "redis-acl");
        assertThat(registry.find("rotor.rotations").counters()).isEmpty();

        metrics.published(List.of(new RotationCompleted("r5", REF, Map.of(), Duration.ofSeconds(5))),
                finished("an-older-one", RotationOutcomeKind.COMPLETED, Duration.ofSeconds(5)), "redis-acl");
        assertThat(registry.get("rotor.rotations").counter().count()).isEqualTo(1);
        assertThat(registry.find("rotor.rotation.duration").timer()).isNull();
    }

    private static FinishedRotation finished(String id, RotationOutcomeKind kind, Duration took) {
        return new FinishedRotation(id, kind, T0, T0.plus(took), "user:test", "done");
    }
}
