package io.rotor.orchestrator.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.RotationAwaitingOperator;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.RotationConfirmed;
import io.rotor.contracts.event.RotationStalled;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.SagaState;
import io.rotor.contracts.saga.SagaStateMachine;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.orchestrator.saga.SagaProgress;
import io.rotor.orchestrator.saga.StepDeadlines;
import io.rotor.orchestrator.support.DeadlineSettings;
import io.rotor.orchestrator.support.Specs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The read model follows a rotation by the saga's own rules (SagaProgress), not by rules of its own. */
class RotationLogTest {

    static final CredentialRef REF = CredentialRef.parse("shop/cache");
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Map<String, SealedValue> NEW = Map.of("password", new SealedValue("k1", "bm9uY2U=", "bmV3"));

    final RotationLog log = new RotationLog(100, new SagaProgress(new SagaStateMachine(),
            new StepDeadlines(DeadlineSettings.defaults()), Clock.fixed(T0, ZoneOffset.UTC), Duration.ofMinutes(15), 8));
    Instant at = T0;

    @Test
    void aStepOvertakenByALaterOneDoesNotMoveTheRotationBack() {
        apply(started(Specs.redisAcl()));
        apply(completed(Step.SECRET_WRITTEN, Specs.redisAcl()));

        apply(completed(Step.PLATFORM_UPDATED, Specs.redisAcl()));

        assertThat(summary().state()).isEqualTo(SagaState.SECRET_WRITTEN.name());
        assertThat(log.get("r1").orElseThrow().timeline()).as("the late step is still on the timeline")
                .extracting(TimelineEntry::step).contains("PLATFORM_UPDATED");
    }

    @Test
    void theLastStepLeavesTheEndToTheOwnersOutcome() {
        apply(started(Specs.redisAcl()));
        for (Step step : Specs.redisAcl().strategy().steps()) {
            apply(completed(step, Specs.redisAcl()));
        }
        assertThat(summary().state()).isEqualTo(SagaState.WORKLOADS_RESTARTED.name());
        assertThat(summary().endedAt()).isNull();

        apply(new RotationCompleted("r1", REF, Map.of(), Duration.ofMinutes(7)));

        assertThat(summary().state()).isEqualTo(SagaState.COMPLETED.name());
    }

    @Test
    void aRotationIsStalledWhileItStaysInTheStateTheStallWasReportedFor() {
        apply(started(Specs.redisAcl()));
        apply(stalled(SagaState.STARTED));
        assertThat(summary().stalled()).isTrue();

        apply(completed(Step.PLATFORM_UPDATED, Specs.redisAcl()));
        assertThat(summary().stalled()).isFalse();

        apply(stalled(SagaState.STARTED));
        assertThat(summary().stalled()).as("a stall about a state the rotation has left").isFalse();

        apply(completed(Step.PLATFORM_UPDATED, Specs.redisAcl()));
        apply(stalled(SagaState.PLATFORM_UPDATED));
        apply(completed(Step.PLATFORM_UPDATED, Specs.redisAcl()));
        assertThat(summary().stalled()).as("a step delivered again is not progress").isTrue();
    }

    @Test
    void aRefusedConfirmationPutsAManualRotationBackToWaitingForItsOperator() {
        ManagedCredentialSpec manual = Specs.configUi("manual");
        apply(started(manual));
        apply(new RotationAwaitingOperator("r1", REF, List.of("change it"), T0.plus(Duration.ofHours(24))));
        apply(new RotationConfirmed("r1", REF, "c1", "user:alice"));

        apply(new StepFailed("r1", REF, Step.PLATFORM_UPDATED, "wrongpass", "refused", true, 1, Platform.CONFIGUI));
        assertThat(summary().operator().confirmed()).as("a retriable failure: the rotator goes on").isTrue();

        apply(new StepFailed("r1", REF, Step.PLATFORM_UPDATED, "wrongpass", "refused", false, 2, Platform.CONFIGUI));
        assertThat(summary().operator().confirmed()).isFalse();
        assertThat(summary().state()).isEqualTo(SagaState.AWAITING_OPERATOR.name());
    }

    @Test
    void aStepTheOwnerRefusesShowsNowhere() {
        apply(started(Specs.redisAcl()));
        ManagedCredentialSpec widened = Specs.redisAclNamingAnotherVault();

        apply(completed(Step.PLATFORM_UPDATED, widened));

        assertThat(summary().state()).isEqualTo(SagaState.STARTED.name());
        assertThat(log.get("r1").orElseThrow().timeline()).extracting(TimelineEntry::step).doesNotContain(
                "PLATFORM_UPDATED");

        ManagedCredentialSpec manual = Specs.configUi("manual");
        RotationStarted second = new RotationStarted("r2", REF, "q2", "user:test", "test", manual, Map.of(), 1,
                SpecDigest.of(manual));
        apply(second);
        apply(new RotationAwaitingOperator("r2", REF, List.of("change it"), T0.plus(Duration.ofHours(24))));
        apply(new StepCompleted("r2", REF, Step.PLATFORM_UPDATED, manual, NEW, null, Map.of(), null));
        assertThat(log.get("r2").orElseThrow().summary().state()).as("no confirmation yet")
                .isEqualTo(SagaState.AWAITING_OPERATOR.name());
    }

    private RotationSummary summary() {
        return log.get("r1").orElseThrow().summary();
    }

    private void apply(RotorEvent event) {
        at = at.plusSeconds(1);
        log.apply(new DecodedEvent("id-" + at, "/test", at, event.eventType(), event, null));
    }

    private static RotationStarted started(ManagedCredentialSpec spec) {
        return new RotationStarted("r1", REF, "q1", "user:test", "test", spec,
                spec.strategy() == io.rotor.contracts.credential.Strategy.MANUAL ? Map.of() : NEW, 1,
                SpecDigest.of(spec));
    }

    private static StepCompleted completed(Step step, ManagedCredentialSpec spec) {
        return new StepCompleted("r1", REF, step, spec, step == Step.PLATFORM_UPDATED ? NEW : null, null, Map.of(),
                Duration.ofMillis(10));
    }

    private RotationStalled stalled(SagaState state) {
        return new RotationStalled("r1", REF, state, null, T0, at, null);
    }
}
