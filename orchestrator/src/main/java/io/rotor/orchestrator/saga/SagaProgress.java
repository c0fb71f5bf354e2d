package io.rotor.orchestrator.saga;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.RotationOutcomeKind;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.event.CommandAction;
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
import io.rotor.contracts.event.StepEvent;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.IllegalTransitionException;
import io.rotor.contracts.saga.SagaAction;
import io.rotor.contracts.saga.SagaInput;
import io.rotor.contracts.saga.SagaState;
import io.rotor.contracts.saga.SagaStateMachine;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.saga.Transition;
import io.rotor.kit.messaging.RecordRefused;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Folds {@code rotor.events} into each credential's saga state and answers with what the saga needs next. Every
 * decision here is a function of the state and the record alone (times come from the records), so any replica that
 * reads the same log decides the same: that is why a rotation becomes real only when its {@code RotationStarted} is
 * read back here — the first one in the log wins, later ones are joined to it or cancelled, and the platform command
 * is published only for the winner.
 */
public final class SagaProgress {

    private static final Logger LOG = Logger.getLogger(SagaProgress.class);
    public static final String ORCHESTRATOR = "orchestrator";

    private final SagaStateMachine machine;
    private final StepDeadlines deadlines;
    private final Clock clock;
    private final Duration startTimeout;
    private final int rememberedRequests;

    public SagaProgress(SagaStateMachine machine, StepDeadlines deadlines, Clock clock, Duration startTimeout,
            int rememberedRequests) {
        this.machine = machine;
        this.deadlines = deadlines;
        this.clock = clock;
        this.startTimeout = startTimeout;
        this.rememberedRequests = rememberedRequests;
    }

    public Decision decide(Inbound in, int partition) {
        if (in.alreadyApplied()) {
            return Decision.none();
        }
        RotorEvent event = in.event();
        if (event instanceof RotationStarted started) {
            SagaRecord state = in.state() != null ? in.state() : SagaRecord.empty(started.credential(), partition);
            return onStarted(started, state, in);
        }
        if (in.state() == null || in.state().active() == null
                || !in.state().active().rotationId().equals(event.rotationId())) {
            // Steps of rotations that ended or that this saga never adopted, and everyone's other outcomes.
            return Decision.none();
        }
        if (event instanceof StepEvent step && !(event instanceof RollbackRequested)
                && step.platform() != in.state().active().spec().platform()) {
            // The codec let the record in because its producer may report this platform's steps; the rotation is of
            // another platform, so that producer has no part in it.
            LOG.warnf("ignoring %s of rotation %s: reported for platform %s, the rotation is of %s", step.step(),
                    event.rotationId(), step.platform(), in.state().active().spec().platform());
            return Decision.none();
        }
        if (event instanceof StepCompleted completed) {
            return onCompleted(completed, in.state(), in);
        }
        if (event instanceof StepFailed failed) {
            return onFailed(failed, in.state(), in);
        }
        if (event instanceof RotationStalled stalled) {
            return onStalled(stalled, in.state(), in);
        }
        return Decision.none();
    }

    private Decision onStarted(RotationStarted st, SagaRecord state, Inbound in) {
        CredentialRef ref = st.credential();
        ActiveRotation active = state.active();
        if (active != null && active.rotationId().equals(st.rotationId())
                || state.last() != null && st.rotationId().equals(state.last().rotationId())) {
            return Decision.none();
        }
        SagaRecord base = state.withOffset(in.topic(), in.offset());
        if (active == null && (base.pending() == null || !base.pending().rotationId().equals(st.rotationId()))) {
            // Only a start this saga wrote itself (its pending start) is taken up: a RotationStarted replayed from the
            // log, or written by anyone else, would otherwise put its sealed value — perhaps a retired one — back
            // into use.
            LOG.warnf("rotation %s of %s was not started by this saga (no pending start with that id); not adopting "
                    + "it", st.rotationId(), ref);
            return Decision.of(List.of(new RotationCancelled(st.rotationId(), ref, "not adopted: the orchestrator has "
                    + "no pending start with this id (a replayed or foreign RotationStarted)", ORCHESTRATOR)), base,
                    List.of());
        }
        if (base.pending() != null && base.pending().rotationId().equals(st.rotationId())) {
            base = base.withPending(null);
        }
        if (active != null) {
            LOG.warnf("rotation %s of %s was started while %s was in flight; joining the request to %s",
                    st.rotationId(), ref, active.rotationId(), active.rotationId());
            SagaRecord next = base.withAnswer(AnsweredRequest.coalesced(st.requestId(), active.rotationId(),
                    clock.instant()), rememberedRequests);
            return Decision.of(List.of(
                    new RotationCoalesced(active.rotationId(), ref, st.requestId(), st.requestedBy()),
                    new RotationCancelled(st.rotationId(), ref, "superseded: rotation " + active.rotationId()
                            + " was already in flight for " + ref + "; request " + st.requestId() + " joined it",
                            ORCHESTRATOR)), next, List.of());
        }
        var earlier = state.answered(st.requestId());
        if (earlier.isPresent() && earlier.get().rotationId() != null
                && !earlier.get().rotationId().equals(st.rotationId())
                && earlier.get().answer() != AnsweredRequest.Answer.REJECTED) {
            LOG.warnf("rotation %s of %s repeats request %s, already answered with %s; not starting it",
                    st.rotationId(), ref, st.requestId(), earlier.get().rotationId());
            return Decision.of(List.of(new RotationCancelled(st.rotationId(), ref, "duplicate: request "
                    + st.requestId() + " was already answered with rotation " + earlier.get().rotationId(),
                    ORCHESTRATOR)), base, List.of());
        }
        Instant now = clock.instant();
        if (in.time().plus(startTimeout).isBefore(now)) {
            LOG.warnf("rotation %s of %s was written at %s and read only now; not starting it", st.rotationId(), ref,
                    in.time());
            return Decision.of(List.of(new RotationCancelled(st.rotationId(), ref, "not started: it was read "
                    + Duration.between(in.time(), now).toMinutes() + " minutes after it was written, more than "
                    + "rotor.orchestrator.saga.start-timeout; ask again", ORCHESTRATOR)), base, List.of());
        }
        return adopt(st, base, in.time());
    }

    private Decision adopt(RotationStarted st, SagaRecord base, Instant time) {
        ActiveRotation rotation = new ActiveRotation(st.rotationId(), st.requestId(), st.requestedBy(), st.reason(),
                st.spec(), st.material(), null, machine.initial(), time, time, List.of(), null, null, null, false);
        SagaRecord next = base.answered(st.requestId()).isPresent() ? base
                : base.withAnswer(AnsweredRequest.started(st.requestId(), st.rotationId(), clock.instant()),
                        rememberedRequests);
        List<RotorEvent> publish = new ArrayList<>();
        SagaNews news;
        if (st.spec().strategy() == Strategy.MANUAL) {
            Transition t = machine.apply(Strategy.MANUAL, rotation.state(), new SagaInput.OperatorAwaited());
            rotation = rotation.movedTo(t.to(), time);
            Instant deadline = deadlines.deadline(rotation).orElse(null);
            publish.add(new RotationAwaitingOperator(st.rotationId(), st.credential(),
                    OperatorInstructions.of(st.rotationId(), st.spec(), deadline), deadline));
            news = new SagaNews(st.credential(), SagaNews.Kind.AWAITING_OPERATOR, st.rotationId(),
                    "waiting for an operator to change the password and confirm" + (deadline == null ? ""
                            : " before " + deadline));
        } else {
            // RotationStarted is in the log (this very record), so the sealed value is safe before anything changes.
            publish.add(new RotateCredential(st.rotationId(), st.credential(), CommandAction.APPLY, st.spec(),
                    st.material(), st.specDigest()));
            news = new SagaNews(st.credential(), SagaNews.Kind.STARTED, st.rotationId(), "rotation started by "
                    + st.requestedBy() + (st.reason() == null ? "" : ": " + st.reason()));
        }
        LOG.infof("rotation %s of %s adopted; %s", st.rotationId(), st.credential(),
                st.spec().strategy() == Strategy.MANUAL ? "waiting for the operator" : "command sent to the "
                        + st.spec().platform().rotator() + " rotator");
        return Decision.of(publish, next.withActive(rotation), List.of(news));
    }

    /**
     * Where a completed step moves a rotation under {@code strategy} that is in {@code state} — the rule the owner
     * folds the log with, for readers that follow the same log (the read model). Empty when the saga ignores the step:
     * a redelivery, one already overtaken, or one that does not fit the strategy.
     */
    public Optional<SagaState> stateAfter(Strategy strategy, SagaState state, Step completed) {
        return transition(strategy, state, SagaInput.done(completed)).filter(t -> !t.duplicate()).map(Transition::to);
    }

    /**
     * Why a completed step may not move a rotation started with the spec whose digest is {@code startedDigest}, now in
     * {@code state} — a rule the read model applies too, so a forged step shows nowhere. Empty when it may.
     */
    public static Optional<RecordRefused> refusal(String rotationId, String startedDigest, SagaState state,
            boolean confirmed, StepCompleted c) {
        if (c.spec() != null && !SpecDigest.of(c.spec()).equals(startedDigest)) {
            // Every participant reports the spec the rotation started with; another one (a Vault target or a workload
            // added) is a forgery by the producer, and nothing of it may move the saga.
            return Optional.of(new RecordRefused(RecordRefused.Reason.SPEC_MISMATCH, "the " + c.step()
                    + " record's spec for rotation " + rotationId + " of " + c.credential()
                    + " is not the one it started with"));
        }
        if (state == SagaState.AWAITING_OPERATOR && !confirmed) {
            // A manual rotation's rotator reports only after the orchestrator passed it an operator's confirmation.
            return Optional.of(new RecordRefused(RecordRefused.Reason.NOT_EXPECTED, "rotation " + rotationId + " of "
                    + c.credential() + " waits for its operator, who has not confirmed: no " + c.step()
                    + " can come from the rotator yet"));
        }
        return Optional.empty();
    }

    /**
     * Whether a failed step sends a manual rotation whose operator confirmed back to waiting for the operator: the
     * rotator refused the confirmed password and changed nothing, so the operator may confirm again or cancel.
     */
    public boolean confirmationRefused(Strategy strategy, SagaState state, boolean confirmed, StepFailed failed) {
        return state == SagaState.AWAITING_OPERATOR && confirmed && !failed.retriable()
                && transition(strategy, state, SagaInput.failed(failed.step(), false))
                        .filter(t -> !t.duplicate() && t.action() == SagaAction.NONE).isPresent();
    }

    /**
     * Whether a stall report is news for a rotation in {@code state}: it is about that state and none was taken for it
     * yet ({@code stalledIn}: the state a stall was last taken for, or null). A rotation that moves on is no longer
     * stalled; one stalled again in its new state is reported again.
     */
    public static boolean stallIsNews(RotationStalled stalled, SagaState state, SagaState stalledIn) {
        return stalled.state() == state && stalledIn != state;
    }

    private Optional<Transition> transition(Strategy strategy, SagaState state, SagaInput input) {
        try {
            return Optional.of(machine.apply(strategy, state, input));
        } catch (IllegalTransitionException e) {
            return Optional.empty();
        }
    }

    private Decision onCompleted(StepCompleted c, SagaRecord state, Inbound in) {
        ActiveRotation a = state.active();
        Optional<RecordRefused> refused = refusal(a.rotationId(), SpecDigest.of(a.spec()), a.state(),
                a.operatorConfirmed(), c);
        if (refused.isPresent()) {
            throw refused.get();
        }
        Transition t;
        try {
            t = machine.apply(a.spec().strategy(), a.state(), SagaInput.done(c.step()));
        } catch (IllegalTransitionException e) {
            LOG.warnf("ignoring step %s of rotation %s: %s", c.step(), a.rotationId(), e.getMessage());
            return Decision.none();
        }
        if (t.duplicate()) {
            if (a.steps().stream().noneMatch(timing -> timing.step() == c.step())) {
                // Overtaken by a later step from another topic: the rotation moved on, but its timeline keeps the
                // step's own report.
                return Decision.of(List.of(), state.withOffset(in.topic(), in.offset()).withActive(a.withStep(
                        new StepTiming(c.step(), in.time(), Duration.ZERO, c.duration()))), List.of());
            }
            LOG.debugf("step %s of rotation %s delivered again", c.step(), a.rotationId());
            return Decision.none();
        }
        Instant time = in.time();
        ActiveRotation next = a.withStep(new StepTiming(c.step(), time, between(a.stateSince(), time),
                c.duration()));
        if (c.step() == Step.PLATFORM_UPDATED || a.previous() == null && c.previous() != null) {
            // A later step can overtake PLATFORM_UPDATED (steps travel on separate topics); it carries the same
            // material, and the previous value is needed to roll back.
            // The rotator's material can hold more than the orchestrator made (a new identity's user name or id).
            next = next.withMaterial(c.material() == null || c.material().isEmpty() ? a.material() : c.material(),
                    c.previous());
        }
        next = next.movedTo(t.to(), time);
        SagaRecord base = state.withOffset(in.topic(), in.offset());
        LOG.infof("rotation %s of %s: %s completed, now %s", a.rotationId(), c.credential(), c.step(), t.to());
        if (t.to().terminal()) {
            return finish(base, next, t.to(), time);
        }
        return Decision.of(List.of(), base.withActive(next), List.of(new SagaNews(c.credential(),
                SagaNews.Kind.PROGRESSED, a.rotationId(), c.step() + " completed")));
    }

    private Decision onFailed(StepFailed f, SagaRecord state, Inbound in) {
        ActiveRotation a = state.active();
        Transition t;
        try {
            t = machine.apply(a.spec().strategy(), a.state(), SagaInput.failed(f.step(), f.retriable()));
        } catch (IllegalTransitionException e) {
            LOG.warnf("ignoring failure of step %s of rotation %s: %s", f.step(), a.rotationId(), e.getMessage());
            return Decision.none();
        }
        if (t.duplicate()) {
            return Decision.none();
        }
        Instant time = in.time();
        FailureInfo failure = FailureInfo.of(f, time);
        SagaRecord base = state.withOffset(in.topic(), in.offset());
        CredentialRef ref = f.credential();
        switch (t.action()) {
            case REQUEST_ROLLBACK -> {
                LOG.warnf("rotation %s of %s: %s failed for good (%s); rolling back", a.rotationId(), ref, f.step(),
                        f.errorCode());
                ActiveRotation next = a.movedTo(t.to(), time).withFailure(failure).withRollbackCause(failure);
                return Decision.of(List.of(new RollbackRequested(a.rotationId(), ref, f.step(), a.spec(),
                        a.material(), a.previous(), failure.describe())), base.withActive(next), List.of(
                        new SagaNews(ref, SagaNews.Kind.ROLLING_BACK, a.rotationId(), f.step() + " failed ("
                                + failure.describe() + "); rolling back")));
            }
            case HOLD_FOR_RETRY -> {
                // Forward-only: the old value may be why the rotation runs, so never go back; make the wait visible.
                LOG.errorf("rotation %s of %s: %s failed for good (%s); holding, the new value stays sealed in the "
                        + "saga", a.rotationId(), ref, f.step(), f.errorCode());
                ActiveRotation next = a.withFailure(failure).stalledIn(a.state());
                return Decision.of(List.of(new RotationStalled(a.rotationId(), ref, a.state(), f.step(),
                        a.stateSince(), time, failure.describe())), base.withActive(next), List.of(new SagaNews(ref,
                        SagaNews.Kind.STALLED, a.rotationId(), f.step() + " failed and cannot be undone under "
                                + a.spec().strategy().value() + ": " + failure.describe())));
            }
            case EMIT_OUTCOME -> {
                ActiveRotation next = a.withFailure(failure).movedTo(t.to(), time);
                return finish(base, next.withFailure(failure), t.to(), time);
            }
            default -> {
                if (confirmationRefused(a.spec().strategy(), a.state(), a.operatorConfirmed(), f)) {
                    // The rotator refused the confirmed password and changed nothing: the rotation waits again, and
                    // the operator can confirm with the right password or cancel.
                    LOG.warnf("rotation %s of %s: the confirmed password was refused (%s); waiting for the operator "
                            + "again", a.rotationId(), ref, f.errorCode());
                    return Decision.of(List.of(), base.withActive(a.withFailure(failure).unconfirmed()), List.of(
                            new SagaNews(ref, SagaNews.Kind.AWAITING_OPERATOR, a.rotationId(), "the confirmed "
                                    + "password was refused (" + failure.describe() + "); confirm again with the "
                                    + "right password, or cancel")));
                }
                LOG.infof("rotation %s of %s: %s failed (%s)%s", a.rotationId(), ref, f.step(), f.errorCode(),
                        f.retriable() ? ", the participant retries" : "");
                return Decision.of(List.of(), base.withActive(a.withFailure(failure)), List.of());
            }
        }
    }

    private Decision onStalled(RotationStalled stalled, SagaRecord state, Inbound in) {
        ActiveRotation a = state.active();
        if (!stallIsNews(stalled, a.state(), a.stalledIn())) {
            return Decision.none();
        }
        return Decision.of(List.of(), state.withOffset(in.topic(), in.offset()).withActive(a.stalledIn(a.state())),
                List.of(new SagaNews(stalled.credential(), SagaNews.Kind.STALLED, a.rotationId(), "no progress in "
                        + a.state() + " since " + a.stateSince() + (stalled.awaitedStep() == null ? ""
                        : "; waiting for " + stalled.awaitedStep()) + (stalled.lastError() == null ? ""
                        : "; last error " + stalled.lastError()))));
    }

    private Decision finish(SagaRecord base, ActiveRotation a, SagaState end, Instant time) {
        CredentialRef ref = base.credential();
        RotorEvent outcome;
        RotationOutcomeKind kind;
        String message;
        SagaNews.Kind news;
        switch (end) {
            case COMPLETED -> {
                Duration total = between(a.startedAt(), time);
                outcome = new RotationCompleted(a.rotationId(), ref, a.stepDurations(), total);
                kind = RotationOutcomeKind.COMPLETED;
                message = "rotated in " + total;
                news = SagaNews.Kind.COMPLETED;
            }
            case ROLLED_BACK -> {
                FailureInfo cause = a.rollbackCause();
                outcome = new RotationRolledBack(a.rotationId(), ref, cause.step(), cause.errorCode(),
                        cause.message(), a.stepDurations());
                kind = RotationOutcomeKind.ROLLED_BACK;
                message = "rolled back after " + cause.step() + " failed: " + cause.describe();
                news = SagaNews.Kind.ROLLED_BACK;
            }
            default -> {
                FailureInfo cause = a.lastFailure();
                outcome = new RotationFailed(a.rotationId(), ref, cause.step(), cause.errorCode(), cause.message(),
                        a.stepDurations());
                kind = RotationOutcomeKind.FAILED;
                message = cause.step() + " failed: " + cause.describe();
                news = SagaNews.Kind.FAILED;
            }
        }
        LOG.infof("rotation %s of %s ended %s: %s", a.rotationId(), ref, kind, message);
        SagaRecord next = base.finished(new FinishedRotation(a.rotationId(), kind, a.startedAt(), time,
                a.requestedBy(), message));
        return Decision.of(List.of(outcome), next, List.of(new SagaNews(ref, news, a.rotationId(), message)));
    }

    private static Duration between(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
