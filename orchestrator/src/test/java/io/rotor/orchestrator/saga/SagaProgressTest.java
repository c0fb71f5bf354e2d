package io.rotor.orchestrator.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.RotationOutcomeKind;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.RollbackRequested;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationAwaitingOperator;
import io.rotor.contracts.event.RotationCancelled;
import io.rotor.contracts.event.RotationCoalesced;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.RotationFailed;
import io.rotor.contracts.event.RotationRolledBack;
import io.rotor.contracts.event.RotationStalled;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.saga.SagaState;
import io.rotor.contracts.saga.SagaStateMachine;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.kit.messaging.RecordRefused;
import io.rotor.orchestrator.support.DeadlineSettings;
import io.rotor.orchestrator.support.Specs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SagaProgressTest {

    static final CredentialRef REF = CredentialRef.parse("shop/cache");
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Map<String, SealedValue> NEW = Map.of("password", new SealedValue("k1", "bm9uY2U=", "bmV3"));
    static final Map<String, SealedValue> OLD = Map.of("password", new SealedValue("k1", "bm9uY2U=", "b2xk"));

    final StepDeadlines deadlines = new StepDeadlines(DeadlineSettings.defaults());
    final SagaProgress progress = new SagaProgress(new SagaStateMachine(), deadlines,
            Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC), Duration.ofMinutes(15), 8);
    long offset = 100;
    SagaRecord state = SagaRecord.empty(REF, 1);

    @Test
    void theFirstRotationStartedReadBackIsAdoptedAndOnlyThenTheCommandIsPublished() {
        Decision d = feed(started("r1", "q1", Specs.redisAcl()), T0);

        assertThat(d.publish()).singleElement().isInstanceOfSatisfying(RotateCredential.class, c -> {
            assertThat(c.rotationId()).isEqualTo("r1");
            assertThat(c.material()).isEqualTo(NEW);
        });
        assertThat(state.active().state()).isEqualTo(SagaState.STARTED);
        assertThat(state.answered("q1")).hasValueSatisfying(a -> assertThat(a.rotationId()).isEqualTo("r1"));
    }

    @Test
    void aRotationStartedThisSagaDidNotWriteIsCancelledAndNeverReachesARotator() {
        Decision d = progress.decide(inbound(started("replayed", "q-new", Specs.redisAcl()), T0, ++offset), 1);

        assertThat(d.publish()).noneMatch(e -> e instanceof RotateCredential);
        assertThat(d.publish()).singleElement().isInstanceOfSatisfying(RotationCancelled.class,
                c -> assertThat(c.reason()).contains("not adopted"));
        assertThat(d.state().active()).isNull();
    }

    @Test
    void aLaterStepOvertakingPlatformUpdatedBringsThePreviousValueForARollback() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);

        feed(new StepCompleted("r1", REF, Step.SECRET_WRITTEN, Specs.redisAcl(), NEW, OLD, Map.of(), null),
                T0.plusSeconds(2));

        assertThat(state.active().state()).isEqualTo(SagaState.SECRET_WRITTEN);
        assertThat(state.active().previous()).isEqualTo(OLD);
    }

    @Test
    void aStepReportedForAnotherPlatformIsIgnored() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);

        Decision d = feed(new StepCompleted("r1", REF, Step.PLATFORM_UPDATED, Specs.configUi("replace"), NEW, OLD,
                Map.of(), null), T0.plusSeconds(2));

        assertThat(d).isEqualTo(Decision.none());
        assertThat(state.active().state()).isEqualTo(SagaState.STARTED);
    }

    @Test
    void aStepWhoseSpecIsNotTheStartedOneIsRefusedAndMovesNothing() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);
        ManagedCredentialSpec widened = Specs.redisAclNamingAnotherVault();

        assertThatThrownBy(() -> feed(new StepCompleted("r1", REF, Step.PLATFORM_UPDATED, widened, NEW, OLD,
                Map.of(), null), T0.plusSeconds(2)))
                .isInstanceOfSatisfying(RecordRefused.class, r -> assertThat(r.reason())
                        .isEqualTo(RecordRefused.Reason.SPEC_MISMATCH))
                .hasMessageNotContaining("vault.elsewhere");
        assertThat(state.active().state()).isEqualTo(SagaState.STARTED);
        assertThat(state.active().material()).isEqualTo(NEW);
    }

    @Test
    void aManualRotationsStepBeforeAnyConfirmationIsRefused() {
        ManagedCredentialSpec spec = Specs.configUi("manual");
        feed(started("r1", "q1", spec), T0);

        assertThatThrownBy(() -> feed(new StepCompleted("r1", REF, Step.PLATFORM_UPDATED, spec, NEW, null, Map.of(),
                null), T0.plusSeconds(2))).isInstanceOfSatisfying(RecordRefused.class,
                        r -> assertThat(r.reason()).isEqualTo(RecordRefused.Reason.NOT_EXPECTED));
        assertThat(state.active().state()).isEqualTo(SagaState.AWAITING_OPERATOR);

        state = state.withActive(state.active().confirmed().withMaterial(NEW, null));
        feed(new StepCompleted("r1", REF, Step.PLATFORM_UPDATED, spec, NEW, null, Map.of(), null),
                T0.plusSeconds(3));
        assertThat(state.active().state()).isEqualTo(SagaState.PLATFORM_UPDATED);
    }

    @Test
    void aSecondStartWhileOneIsInFlightIsJoinedToItAndCancelledWithoutACommand() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);

        Decision d = feed(started("r2", "q2", Specs.redisAcl()), T0.plusSeconds(1));

        assertThat(d.publish()).noneMatch(e -> e instanceof RotateCredential);
        assertThat(d.publish()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(RotationCoalesced.class,
                c -> assertThat(c.rotationId()).isEqualTo("r1")));
        assertThat(d.publish()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(RotationCancelled.class,
                c -> assertThat(c.rotationId()).isEqualTo("r2")));
        assertThat(state.active().rotationId()).isEqualTo("r1");
        assertThat(state.answered("q2")).hasValueSatisfying(a -> assertThat(a.rotationId()).isEqualTo("r1"));
    }

    @Test
    void aRedeliveredStartChangesNothing() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);
        Decision again = progress.decide(inbound(started("r1", "q1", Specs.redisAcl()), T0, offset + 1), 1);

        assertThat(again.publish()).isEmpty();
        assertThat(again.state()).isNull();
    }

    @Test
    void aRecordAtOrBelowThePersistedOffsetIsSkipped() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);
        feed(completed("r1", Step.PLATFORM_UPDATED), T0.plusSeconds(1));
        long applied = state.offsetOf(StepProducer.REDIS.topic());
        assertThat(applied).isEqualTo(offset);

        Decision replay = progress.decide(inbound(completed("r1", Step.PLATFORM_UPDATED), T0, applied), 1);

        assertThat(replay).isEqualTo(Decision.none());
    }

    @Test
    void aStartForARequestAlreadyAnsweredWithAnotherRotationIsCancelled() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);
        completeAll("r1");

        Decision d = feed(started("r9", "q1", Specs.redisAcl()), T0.plusSeconds(60));

        assertThat(d.publish()).singleElement().isInstanceOfSatisfying(RotationCancelled.class,
                c -> assertThat(c.reason()).contains("duplicate"));
        assertThat(state.active()).isNull();
    }

    @Test
    void aStartReadLongAfterItWasWrittenIsNotActedOn() {
        Decision d = feed(started("r1", "q1", Specs.redisAcl()), T0.minus(Duration.ofHours(2)));

        assertThat(d.publish()).singleElement().isInstanceOf(RotationCancelled.class);
        assertThat(state.active()).isNull();
    }

    @Test
    void stepsMoveTheSagaAndTheLastOneCompletesItWithPerStepDurations() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);
        feed(new StepCompleted("r1", REF, Step.PLATFORM_UPDATED, Specs.redisAcl(), NEW, OLD, Map.of(),
                Duration.ofSeconds(2)), T0.plusSeconds(3));
        assertThat(state.active().previous()).isEqualTo(OLD);
        feed(completed("r1", Step.SECRET_WRITTEN), T0.plusSeconds(5));
        feed(completed("r1", Step.WORKLOADS_RESTARTED), T0.plusSeconds(65));
        Decision d = feed(completed("r1", Step.OLD_REVOKED), T0.plusSeconds(100));

        RotationCompleted done = (RotationCompleted) d.publish().get(0);
        assertThat(done.total()).isEqualTo(Duration.ofSeconds(100));
        assertThat(done.stepDurations()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Step.PLATFORM_UPDATED, Duration.ofSeconds(3), Step.SECRET_WRITTEN, Duration.ofSeconds(2),
                Step.WORKLOADS_RESTARTED, Duration.ofSeconds(60), Step.OLD_REVOKED, Duration.ofSeconds(35)));
        assertThat(state.active()).isNull();
        assertThat(state.last().outcome()).isEqualTo(RotationOutcomeKind.COMPLETED);
        assertThat(state.lastSuccess()).isEqualTo(T0.plusSeconds(100));
        assertThat(d.news()).singleElement().satisfies(n -> assertThat(n.kind()).isEqualTo(SagaNews.Kind.COMPLETED));
    }

    @Test
    void aRedeliveredStepIsADuplicateAndChangesNothing() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);
        feed(completed("r1", Step.PLATFORM_UPDATED), T0.plusSeconds(3));
        feed(completed("r1", Step.SECRET_WRITTEN), T0.plusSeconds(4));

        Decision d = progress.decide(inbound(completed("r1", Step.PLATFORM_UPDATED), T0.plusSeconds(9), ++offset), 1);

        assertThat(d).isEqualTo(Decision.none());
    }

    @Test
    void stepsOfAnotherRotationAreIgnored() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);

        assertThat(progress.decide(inbound(completed("r0", Step.PLATFORM_UPDATED), T0, ++offset), 1))
                .isEqualTo(Decision.none());
    }

    @Test
    void aPermanentSecretWriteFailureUnderAnOverlapStrategyRequestsARollbackWithBothValues() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);
        feed(new StepCompleted("r1", REF, Step.PLATFORM_UPDATED, Specs.redisAcl(), NEW, OLD, Map.of(), null),
                T0.plusSeconds(3));

        Decision d = feed(new StepFailed("r1", REF, Step.SECRET_WRITTEN, "forbidden", "RBAC denies update",
                false, 1, Platform.REDIS_ACL), T0.plusSeconds(4));

        assertThat(d.publish()).singleElement().isInstanceOfSatisfying(RollbackRequested.class, r -> {
            assertThat(r.step()).isEqualTo(Step.SECRET_WRITTEN);
            assertThat(r.material()).isEqualTo(NEW);
            assertThat(r.previous()).isEqualTo(OLD);
        });
        assertThat(state.active().state()).isEqualTo(SagaState.ROLLING_BACK);

        feed(completed("r1", Step.SECRET_RESTORED), T0.plusSeconds(5));
        feed(completed("r1", Step.WORKLOADS_RESTORED), T0.plusSeconds(6));
        Decision end = feed(completed("r1", Step.NEW_REVOKED), T0.plusSeconds(7));
        assertThat(end.publish()).singleElement().isInstanceOfSatisfying(RotationRolledBack.class, r -> {
            assertThat(r.failedStep()).isEqualTo(Step.SECRET_WRITTEN);
            assertThat(r.errorCode()).isEqualTo("forbidden");
        });
        assertThat(state.last().outcome()).isEqualTo(RotationOutcomeKind.ROLLED_BACK);
        assertThat(state.lastSuccess()).isNull();
    }

    @Test
    void aPermanentPlatformFailureFailsTheRotation() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);

        Decision d = feed(new StepFailed("r1", REF, Step.PLATFORM_UPDATED, "wrongpass", "AUTH refused", false, 1, Platform.REDIS_ACL),
                T0.plusSeconds(2));

        assertThat(d.publish()).singleElement().isInstanceOfSatisfying(RotationFailed.class,
                f -> assertThat(f.errorCode()).isEqualTo("wrongpass"));
        assertThat(state.last().outcome()).isEqualTo(RotationOutcomeKind.FAILED);
    }

    @Test
    void aRetriableFailureIsRecordedAndTheSagaWaits() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);

        Decision d = feed(new StepFailed("r1", REF, Step.PLATFORM_UPDATED, "timeout", "no answer", true, 2, Platform.REDIS_ACL),
                T0.plusSeconds(2));

        assertThat(d.publish()).isEmpty();
        assertThat(state.active().state()).isEqualTo(SagaState.STARTED);
        assertThat(state.active().lastFailure().describe()).contains("attempt 2");
    }

    @Test
    void underReplaceAPermanentSecretWriteFailureHoldsVisiblyAndNeverGoesBack() {
        ManagedCredentialSpec spec = Specs.configUi("replace");
        feed(started("r1", "q1", spec), T0);
        feed(new StepCompleted("r1", REF, Step.PLATFORM_UPDATED, spec, NEW, OLD, Map.of(), null), T0.plusSeconds(1));

        Decision d = feed(new StepFailed("r1", REF, Step.SECRET_WRITTEN, "forbidden", "no", false, 1, Platform.CONFIGUI),
                T0.plusSeconds(2));

        assertThat(d.publish()).singleElement().isInstanceOfSatisfying(RotationStalled.class,
                s -> assertThat(s.lastError()).contains("forbidden"));
        assertThat(state.active().state()).isEqualTo(SagaState.PLATFORM_UPDATED);
        assertThat(state.active().material()).isEqualTo(NEW);
    }

    @Test
    void aManualRotationWaitsForItsOperatorInsteadOfSendingACommand() {
        Decision d = feed(started("r1", "q1", Specs.configUi("manual")), T0);

        assertThat(d.publish()).singleElement().isInstanceOfSatisfying(RotationAwaitingOperator.class, w -> {
            assertThat(w.deadline()).isEqualTo(T0.plus(Duration.ofHours(24)));
            assertThat(w.instructions()).anyMatch(i -> i.contains("POST /api/v1/rotations/r1/confirm")
                    && i.contains("before " + T0.plus(Duration.ofHours(24))));
            assertThat(w.instructions()).anyMatch(i -> i.contains("Secret configui-user-secrets (key .mlc_password)"));
            assertThat(w.instructions()).anyMatch(i -> i.contains("/api/v1/rotations/r1/cancel"));
        });
        assertThat(state.active().state()).isEqualTo(SagaState.AWAITING_OPERATOR);
    }

    @Test
    void aConfirmedPasswordTheRotatorRefusesLeavesTheRotationWaitingAndConfirmableAgain() {
        ManagedCredentialSpec spec = Specs.configUi("manual");
        feed(started("r1", "q1", spec), T0);
        state = state.withActive(state.active().confirmed().withMaterial(NEW, null));

        Decision d = feed(new StepFailed("r1", REF, Step.PLATFORM_UPDATED, "configui_new_password_refused",
                "the confirmed password does not log in", false, 1, Platform.CONFIGUI), T0.plusSeconds(30));

        assertThat(d.publish()).isEmpty();
        assertThat(state.active().state()).isEqualTo(SagaState.AWAITING_OPERATOR);
        assertThat(state.active().operatorConfirmed()).isFalse();
        assertThat(state.active().lastFailure().describe()).contains("configui_new_password_refused");
        assertThat(d.news()).singleElement().satisfies(n -> assertThat(n.message()).contains("confirm again"));
    }

    @Test
    void aRetriableFailureOfAConfirmedRotationKeepsItConfirmed() {
        ManagedCredentialSpec spec = Specs.configUi("manual");
        feed(started("r1", "q1", spec), T0);
        state = state.withActive(state.active().confirmed().withMaterial(NEW, null));

        feed(new StepFailed("r1", REF, Step.PLATFORM_UPDATED, "configui_unreachable", "no answer", true, 1, Platform.CONFIGUI),
                T0.plusSeconds(30));

        assertThat(state.active().operatorConfirmed()).isTrue();
    }

    @Test
    void aStallReportReadBackIsRememberedForTheState() {
        feed(started("r1", "q1", Specs.redisAcl()), T0);
        StallDetector detector = new StallDetector(new SagaStateMachine(), deadlines);
        assertThat(detector.overdue(java.util.List.of(state), T0.plus(Duration.ofMinutes(1)))).isEmpty();
        RotationStalled stalled = detector.overdue(java.util.List.of(state), T0.plus(Duration.ofMinutes(3)))
                .get(0);
        assertThat(stalled.awaitedStep()).isEqualTo(Step.PLATFORM_UPDATED);
        assertThat(stalled.deadline()).isEqualTo(T0.plus(Duration.ofMinutes(2)));

        feed(stalled, T0.plus(Duration.ofMinutes(3)));

        assertThat(detector.overdue(java.util.List.of(state), T0.plus(Duration.ofMinutes(10)))).isEmpty();
        feed(completed("r1", Step.PLATFORM_UPDATED), T0.plus(Duration.ofMinutes(11)));
        assertThat(detector.overdue(java.util.List.of(state), T0.plus(Duration.ofMinutes(11))
                .plus(Duration.ofMinutes(5)))).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(SagaState.PLATFORM_UPDATED));
    }

    @Test
    void theRulesOtherReadersShareMoveOnlyForwardAndIgnoreWhatTheSagaIgnores() {
        var strategy = Specs.redisAcl().strategy();

        assertThat(progress.stateAfter(strategy, SagaState.STARTED, Step.PLATFORM_UPDATED))
                .contains(SagaState.PLATFORM_UPDATED);
        assertThat(progress.stateAfter(strategy, SagaState.STARTED, Step.SECRET_WRITTEN)).as("overtaking")
                .contains(SagaState.SECRET_WRITTEN);
        assertThat(progress.stateAfter(strategy, SagaState.SECRET_WRITTEN, Step.PLATFORM_UPDATED)).as("overtaken")
                .isEmpty();
        assertThat(progress.stateAfter(strategy, SagaState.STARTED, Step.NEW_REVOKED)).as("does not fit").isEmpty();
    }

    @Test
    void aStallIsNewsOnceForTheStateItNames() {
        RotationStalled inStarted = new RotationStalled("r1", REF, SagaState.STARTED, Step.PLATFORM_UPDATED, T0, T0,
                null);

        assertThat(SagaProgress.stallIsNews(inStarted, SagaState.STARTED, null)).isTrue();
        assertThat(SagaProgress.stallIsNews(inStarted, SagaState.STARTED, SagaState.STARTED)).isFalse();
        assertThat(SagaProgress.stallIsNews(inStarted, SagaState.PLATFORM_UPDATED, null)).isFalse();
    }

    private void completeAll(String id) {
        for (Step step : Specs.redisAcl().strategy().steps()) {
            feed(completed(id, step), T0.plusSeconds(10));
        }
        assertThat(state.active()).isNull();
    }

    private Decision feed(RotorEvent event, Instant at) {
        if (event instanceof RotationStarted st) {
            // As the request handler does when it publishes a start: the saga expects to read it back.
            state = state.withPending(new PendingStart(st.rotationId(), st.requestId(), at));
        }
        Decision d = progress.decide(inbound(event, at, ++offset), 1);
        if (d.state() != null) {
            state = d.state();
        }
        return d;
    }

    private Inbound inbound(RotorEvent event, Instant at, long at0) {
        return new Inbound(new DecodedEvent("id", "/test", at, event.eventType(), event, null), state,
                event.eventType().topic(event), 1, at0, at);
    }

    static RotationStarted started(String rotationId, String requestId, ManagedCredentialSpec spec) {
        return new RotationStarted(rotationId, REF, requestId, "user:test", "test", spec,
                spec.strategy() == io.rotor.contracts.credential.Strategy.MANUAL ? Map.of() : NEW, 1,
                SpecDigest.of(spec));
    }

    static StepCompleted completed(String rotationId, Step step) {
        return new StepCompleted(rotationId, REF, step, Specs.redisAcl(), step == Step.PLATFORM_UPDATED ? NEW : null,
                null, Map.of(), Duration.ofMillis(10));
    }
}
