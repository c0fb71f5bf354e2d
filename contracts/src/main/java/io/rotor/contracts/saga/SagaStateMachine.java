package io.rotor.contracts.saga;

import static io.rotor.contracts.saga.SagaState.AWAITING_OPERATOR;
import static io.rotor.contracts.saga.SagaState.CANCELLED;
import static io.rotor.contracts.saga.SagaState.COMPLETED;
import static io.rotor.contracts.saga.SagaState.FAILED;
import static io.rotor.contracts.saga.SagaState.PLATFORM_UPDATED;
import static io.rotor.contracts.saga.SagaState.ROLLED_BACK;
import static io.rotor.contracts.saga.SagaState.ROLLING_BACK;
import static io.rotor.contracts.saga.SagaState.SECRET_RESTORED;
import static io.rotor.contracts.saga.SagaState.SECRET_WRITTEN;
import static io.rotor.contracts.saga.SagaState.STARTED;
import static io.rotor.contracts.saga.SagaState.WORKLOADS_RESTARTED;
import static io.rotor.contracts.saga.SagaState.WORKLOADS_RESTORED;

import io.rotor.contracts.credential.Strategy;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rotation saga's rules: which step each state waits for, where a completed or failed step leads, and what the
 * orchestrator must do then. Pure and stateless; the orchestrator keeps the state.
 *
 * <p>Redelivered events are normal in Kafka, so completing a step that already lies behind is reported as a
 * {@linkplain Transition#duplicate() duplicate}, not as an error. Everything else that does not fit is illegal.
 */
public final class SagaStateMachine {

    private static final List<Step> ROLLBACK_STEPS = List.of(Step.SECRET_RESTORED, Step.WORKLOADS_RESTORED, Step.NEW_REVOKED);

    public SagaState initial() {
        return STARTED;
    }

    /** The states a rotation under {@code strategy} can ever be in. */
    public Set<SagaState> reachable(Strategy strategy) {
        return switch (strategy) {
            case DUAL_PASSWORD, NEW_IDENTITY -> EnumSet.of(STARTED, PLATFORM_UPDATED, SECRET_WRITTEN, WORKLOADS_RESTARTED,
                    ROLLING_BACK, SECRET_RESTORED, WORKLOADS_RESTORED, COMPLETED, FAILED, ROLLED_BACK);
            case REPLACE -> EnumSet.of(STARTED, PLATFORM_UPDATED, SECRET_WRITTEN, COMPLETED, FAILED);
            // A manual rotation never fails on its own: a bad confirmation leaves it waiting, the operator can cancel.
            case MANUAL -> EnumSet.of(STARTED, AWAITING_OPERATOR, PLATFORM_UPDATED, SECRET_WRITTEN, COMPLETED, CANCELLED);
        };
    }

    /** The step whose completion moves a rotation on from {@code state}; empty when it waits for something else. */
    public Optional<Step> awaitedStep(Strategy strategy, SagaState state) {
        if (!reachable(strategy).contains(state)) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (state) {
            case STARTED -> strategy == Strategy.MANUAL ? null : Step.PLATFORM_UPDATED;
            case AWAITING_OPERATOR -> Step.PLATFORM_UPDATED;
            case PLATFORM_UPDATED -> Step.SECRET_WRITTEN;
            case SECRET_WRITTEN -> Step.WORKLOADS_RESTARTED;
            case WORKLOADS_RESTARTED -> Step.OLD_REVOKED;
            case ROLLING_BACK -> Step.SECRET_RESTORED;
            case SECRET_RESTORED -> Step.WORKLOADS_RESTORED;
            case WORKLOADS_RESTORED -> Step.NEW_REVOKED;
            case COMPLETED, FAILED, ROLLED_BACK, CANCELLED -> null;
        });
    }

    public Transition apply(Strategy strategy, SagaState state, SagaInput input) {
        if (!reachable(strategy).contains(state)) {
            throw new IllegalTransitionException(strategy, state, input);
        }
        if (input instanceof SagaInput.StepDone done) {
            return onDone(strategy, state, done.step(), input);
        }
        if (input instanceof SagaInput.StepFailure failure) {
            return onFailure(strategy, state, failure, input);
        }
        if (input instanceof SagaInput.OperatorAwaited) {
            if (strategy == Strategy.MANUAL && state == STARTED) {
                return Transition.to(state, AWAITING_OPERATOR, SagaAction.NONE);
            }
            if (strategy == Strategy.MANUAL && state == AWAITING_OPERATOR) {
                return Transition.duplicate(state);
            }
            throw new IllegalTransitionException(strategy, state, input);
        }
        // Cancelling is only safe while nothing has changed anywhere; later, only a rollback can undo.
        if (strategy == Strategy.MANUAL && (state == STARTED || state == AWAITING_OPERATOR)) {
            return Transition.to(state, CANCELLED, SagaAction.EMIT_OUTCOME);
        }
        if (state == CANCELLED) {
            return Transition.duplicate(state);
        }
        throw new IllegalTransitionException(strategy, state, input);
    }

    private Transition onDone(Strategy strategy, SagaState state, Step step, SagaInput input) {
        Optional<Step> awaited = awaitedStep(strategy, state);
        if (awaited.isPresent() && awaited.get() == step) {
            SagaState next = stateAfter(strategy, step);
            return Transition.to(state, next, next.terminal() ? SagaAction.EMIT_OUTCOME : SagaAction.NONE);
        }
        if (passed(strategy, state, step)) {
            return Transition.duplicate(state);
        }
        if (ahead(strategy, state, step)) {
            // Each participant acts only on the step before its own, and each writes its own topic: news of a later
            // step can overtake news of an earlier one between topics, but it proves the earlier one happened.
            SagaState next = stateAfter(strategy, step);
            return Transition.to(state, next, next.terminal() ? SagaAction.EMIT_OUTCOME : SagaAction.NONE);
        }
        throw new IllegalTransitionException(strategy, state, input);
    }

    private Transition onFailure(Strategy strategy, SagaState state, SagaInput.StepFailure failure, SagaInput input) {
        Step step = failure.step();
        Optional<Step> awaited = awaitedStep(strategy, state);
        if (awaited.isEmpty() || awaited.get() != step) {
            if (passed(strategy, state, step)) {
                return Transition.duplicate(state);
            }
            if (ahead(strategy, state, step)) {
                // As for completions: the failure of a later step proves the earlier ones completed.
                Transition t = onFailure(strategy, stateAwaiting(strategy, step), failure, input);
                return t.action() == SagaAction.NONE && !t.changed() ? Transition.to(state, t.to(), SagaAction.NONE)
                        : new Transition(state, t.to(), t.action(), false);
            }
            throw new IllegalTransitionException(strategy, state, input);
        }
        if (failure.retriable()) {
            // The participant retries on its own; the orchestrator's deadline catches one that never succeeds.
            return Transition.stay(state, SagaAction.NONE);
        }
        return switch (step) {
            // The rotator has already removed whatever it added, so the platform is as it was.
            case PLATFORM_UPDATED -> state == AWAITING_OPERATOR
                    ? Transition.stay(state, SagaAction.NONE)
                    : Transition.to(state, FAILED, SagaAction.EMIT_OUTCOME);
            case SECRET_WRITTEN, WORKLOADS_RESTARTED -> strategy.overlap()
                    ? Transition.to(state, ROLLING_BACK, SagaAction.REQUEST_ROLLBACK)
                    // The old value may be the reason for the rotation and no longer works: never go back.
                    : Transition.stay(state, SagaAction.HOLD_FOR_RETRY);
            // The new value is everywhere and works; only the old could not be retired, which needs a person.
            case OLD_REVOKED, SECRET_RESTORED, WORKLOADS_RESTORED, NEW_REVOKED ->
                    Transition.to(state, FAILED, SagaAction.EMIT_OUTCOME);
        };
    }

    private SagaState stateAfter(Strategy strategy, Step step) {
        List<Step> steps = strategy.steps();
        if (steps.get(steps.size() - 1) == step) {
            return COMPLETED;
        }
        return switch (step) {
            case PLATFORM_UPDATED -> PLATFORM_UPDATED;
            case SECRET_WRITTEN -> SECRET_WRITTEN;
            case WORKLOADS_RESTARTED -> WORKLOADS_RESTARTED;
            case OLD_REVOKED -> COMPLETED;
            case SECRET_RESTORED -> SECRET_RESTORED;
            case WORKLOADS_RESTORED -> WORKLOADS_RESTORED;
            case NEW_REVOKED -> ROLLED_BACK;
        };
    }

    /** Whether {@code step} lies further along the phase (forward or rollback) that {@code state} is in. */
    private boolean ahead(Strategy strategy, SagaState state, Step step) {
        Optional<Step> awaited = awaitedStep(strategy, state);
        if (awaited.isEmpty()) {
            return false;
        }
        List<Step> phase = awaited.get().rollback() ? ROLLBACK_STEPS : strategy.steps();
        return phase.contains(step) && phase.indexOf(step) > phase.indexOf(awaited.get());
    }

    /** The state in which a rotation under {@code strategy} waits for {@code step}. */
    private SagaState stateAwaiting(Strategy strategy, Step step) {
        for (SagaState s : reachable(strategy)) {
            if (s != AWAITING_OPERATOR && awaitedStep(strategy, s).filter(step::equals).isPresent()) {
                return s;
            }
        }
        throw new IllegalStateException(strategy + " never waits for " + step);
    }

    /** Whether {@code step} lies behind a rotation in {@code state}, so that news of it is stale. */
    private boolean passed(Strategy strategy, SagaState state, Step step) {
        List<Step> forward = strategy.steps();
        boolean forwardStep = forward.contains(step);
        boolean rollbackStep = strategy.overlap() && ROLLBACK_STEPS.contains(step);
        return switch (state) {
            case STARTED, AWAITING_OPERATOR, CANCELLED -> false;
            case PLATFORM_UPDATED, SECRET_WRITTEN, WORKLOADS_RESTARTED ->
                    forwardStep && forward.indexOf(step) < forward.indexOf(awaitedStep(strategy, state).orElseThrow());
            case COMPLETED -> forwardStep;
            // Once rolling back, any forward news is stale; rollback steps before the awaited one are redeliveries.
            case ROLLING_BACK, SECRET_RESTORED, WORKLOADS_RESTORED -> forwardStep || rollbackStep
                    && ROLLBACK_STEPS.indexOf(step) < ROLLBACK_STEPS.indexOf(awaitedStep(strategy, state).orElseThrow());
            case FAILED, ROLLED_BACK -> forwardStep || rollbackStep;
        };
    }
}
