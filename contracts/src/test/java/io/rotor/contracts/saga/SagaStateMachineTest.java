package io.rotor.contracts.saga;

import static io.rotor.contracts.saga.SagaAction.EMIT_OUTCOME;
import static io.rotor.contracts.saga.SagaAction.HOLD_FOR_RETRY;
import static io.rotor.contracts.saga.SagaAction.NONE;
import static io.rotor.contracts.saga.SagaAction.REQUEST_ROLLBACK;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.Strategy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The saga's rules written out as a table, independently of the implementation, and checked against it for every
 * strategy, every state and every input: what is listed must happen exactly so, a listed duplicate must be ignored,
 * and everything else must be refused.
 */
class SagaStateMachineTest {

    private static final Step PU = Step.PLATFORM_UPDATED;
    private static final Step SW = Step.SECRET_WRITTEN;
    private static final Step WR = Step.WORKLOADS_RESTARTED;
    private static final Step OR = Step.OLD_REVOKED;
    private static final Step SR = Step.SECRET_RESTORED;
    private static final Step WRO = Step.WORKLOADS_RESTORED;
    private static final Step NR = Step.NEW_REVOKED;

    private final SagaStateMachine machine = new SagaStateMachine();

    private record Key(SagaState state, SagaInput input) {
    }

    private record Expected(SagaState to, SagaAction action) {
    }

    /** Legal, state-changing (or deliberately state-keeping) transitions per strategy. */
    private static Map<Key, Expected> legal(Strategy strategy) {
        Map<Key, Expected> t = new HashMap<>();
        switch (strategy) {
            case DUAL_PASSWORD, NEW_IDENTITY -> {
                forwardStep(t, STARTED, PU, PLATFORM_UPDATED, FAILED, EMIT_OUTCOME);
                forwardStep(t, PLATFORM_UPDATED, SW, SECRET_WRITTEN, ROLLING_BACK, REQUEST_ROLLBACK);
                forwardStep(t, SECRET_WRITTEN, WR, WORKLOADS_RESTARTED, ROLLING_BACK, REQUEST_ROLLBACK);
                forwardStep(t, WORKLOADS_RESTARTED, OR, COMPLETED, FAILED, EMIT_OUTCOME);
                forwardStep(t, ROLLING_BACK, SR, SECRET_RESTORED, FAILED, EMIT_OUTCOME);
                forwardStep(t, SECRET_RESTORED, WRO, WORKLOADS_RESTORED, FAILED, EMIT_OUTCOME);
                forwardStep(t, WORKLOADS_RESTORED, NR, ROLLED_BACK, FAILED, EMIT_OUTCOME);
                // News of a later step overtook an earlier one (they travel on different topics).
                aheadStep(t, STARTED, SW, SECRET_WRITTEN, PLATFORM_UPDATED, ROLLING_BACK, REQUEST_ROLLBACK);
                aheadStep(t, STARTED, WR, WORKLOADS_RESTARTED, SECRET_WRITTEN, ROLLING_BACK, REQUEST_ROLLBACK);
                aheadStep(t, STARTED, OR, COMPLETED, WORKLOADS_RESTARTED, FAILED, EMIT_OUTCOME);
                aheadStep(t, PLATFORM_UPDATED, WR, WORKLOADS_RESTARTED, SECRET_WRITTEN, ROLLING_BACK, REQUEST_ROLLBACK);
                aheadStep(t, PLATFORM_UPDATED, OR, COMPLETED, WORKLOADS_RESTARTED, FAILED, EMIT_OUTCOME);
                aheadStep(t, SECRET_WRITTEN, OR, COMPLETED, WORKLOADS_RESTARTED, FAILED, EMIT_OUTCOME);
                aheadStep(t, ROLLING_BACK, WRO, WORKLOADS_RESTORED, SECRET_RESTORED, FAILED, EMIT_OUTCOME);
                aheadStep(t, ROLLING_BACK, NR, ROLLED_BACK, WORKLOADS_RESTORED, FAILED, EMIT_OUTCOME);
                aheadStep(t, SECRET_RESTORED, NR, ROLLED_BACK, WORKLOADS_RESTORED, FAILED, EMIT_OUTCOME);
            }
            case REPLACE -> {
                forwardStep(t, STARTED, PU, PLATFORM_UPDATED, FAILED, EMIT_OUTCOME);
                forwardStep(t, PLATFORM_UPDATED, SW, SECRET_WRITTEN, PLATFORM_UPDATED, HOLD_FOR_RETRY);
                forwardStep(t, SECRET_WRITTEN, WR, COMPLETED, SECRET_WRITTEN, HOLD_FOR_RETRY);
                aheadStep(t, STARTED, SW, SECRET_WRITTEN, PLATFORM_UPDATED, PLATFORM_UPDATED, HOLD_FOR_RETRY);
                aheadStep(t, STARTED, WR, COMPLETED, SECRET_WRITTEN, SECRET_WRITTEN, HOLD_FOR_RETRY);
                aheadStep(t, PLATFORM_UPDATED, WR, COMPLETED, SECRET_WRITTEN, SECRET_WRITTEN, HOLD_FOR_RETRY);
            }
            case MANUAL -> {
                t.put(new Key(STARTED, new SagaInput.OperatorAwaited()), new Expected(AWAITING_OPERATOR, NONE));
                t.put(new Key(STARTED, new SagaInput.CancelRequested()), new Expected(CANCELLED, EMIT_OUTCOME));
                t.put(new Key(AWAITING_OPERATOR, new SagaInput.CancelRequested()), new Expected(CANCELLED, EMIT_OUTCOME));
                // A confirmation that does not verify leaves the rotation waiting for a correct one.
                forwardStep(t, AWAITING_OPERATOR, PU, PLATFORM_UPDATED, AWAITING_OPERATOR, NONE);
                forwardStep(t, PLATFORM_UPDATED, SW, SECRET_WRITTEN, PLATFORM_UPDATED, HOLD_FOR_RETRY);
                forwardStep(t, SECRET_WRITTEN, WR, COMPLETED, SECRET_WRITTEN, HOLD_FOR_RETRY);
                aheadStep(t, AWAITING_OPERATOR, SW, SECRET_WRITTEN, PLATFORM_UPDATED, PLATFORM_UPDATED, HOLD_FOR_RETRY);
                aheadStep(t, AWAITING_OPERATOR, WR, COMPLETED, SECRET_WRITTEN, SECRET_WRITTEN, HOLD_FOR_RETRY);
                aheadStep(t, PLATFORM_UPDATED, WR, COMPLETED, SECRET_WRITTEN, SECRET_WRITTEN, HOLD_FOR_RETRY);
            }
        }
        return t;
    }

    /** Inputs that repeat something already behind the rotation: ignored, nothing changes. */
    private static Set<Key> duplicates(Strategy strategy) {
        Set<Key> d = new HashSet<>();
        switch (strategy) {
            case DUAL_PASSWORD, NEW_IDENTITY -> {
                stale(d, PLATFORM_UPDATED, PU);
                stale(d, SECRET_WRITTEN, PU, SW);
                stale(d, WORKLOADS_RESTARTED, PU, SW, WR);
                stale(d, COMPLETED, PU, SW, WR, OR);
                stale(d, ROLLING_BACK, PU, SW, WR, OR);
                stale(d, SECRET_RESTORED, PU, SW, WR, OR, SR);
                stale(d, WORKLOADS_RESTORED, PU, SW, WR, OR, SR, WRO);
                stale(d, FAILED, PU, SW, WR, OR, SR, WRO, NR);
                stale(d, ROLLED_BACK, PU, SW, WR, OR, SR, WRO, NR);
            }
            case REPLACE -> {
                stale(d, PLATFORM_UPDATED, PU);
                stale(d, SECRET_WRITTEN, PU, SW);
                stale(d, COMPLETED, PU, SW, WR);
                stale(d, FAILED, PU, SW, WR);
            }
            case MANUAL -> {
                d.add(new Key(AWAITING_OPERATOR, new SagaInput.OperatorAwaited()));
                d.add(new Key(CANCELLED, new SagaInput.CancelRequested()));
                stale(d, PLATFORM_UPDATED, PU);
                stale(d, SECRET_WRITTEN, PU, SW);
                stale(d, COMPLETED, PU, SW, WR);
            }
        }
        return d;
    }

    private static void forwardStep(Map<Key, Expected> t, SagaState from, Step step, SagaState onDone,
            SagaState onPermanentFailure, SagaAction failureAction) {
        SagaAction doneAction = onDone.terminal() ? EMIT_OUTCOME : NONE;
        t.put(new Key(from, SagaInput.done(step)), new Expected(onDone, doneAction));
        t.put(new Key(from, SagaInput.failed(step, true)), new Expected(from, NONE));
        t.put(new Key(from, SagaInput.failed(step, false)), new Expected(onPermanentFailure, failureAction));
    }

    /**
     * A step further along than the awaited one: it proves the steps before it, so the rotation moves to where that
     * step leads (done), to where that step is awaited (retriable failure), or on as a final failure of it would.
     */
    private static void aheadStep(Map<Key, Expected> t, SagaState from, Step step, SagaState onDone,
            SagaState awaitingIt, SagaState onPermanentFailure, SagaAction failureAction) {
        t.put(new Key(from, SagaInput.done(step)), new Expected(onDone, onDone.terminal() ? EMIT_OUTCOME : NONE));
        t.put(new Key(from, SagaInput.failed(step, true)), new Expected(awaitingIt, NONE));
        t.put(new Key(from, SagaInput.failed(step, false)), new Expected(onPermanentFailure, failureAction));
    }

    private static void stale(Set<Key> d, SagaState state, Step... steps) {
        for (Step step : steps) {
            d.add(new Key(state, SagaInput.done(step)));
            d.add(new Key(state, SagaInput.failed(step, true)));
            d.add(new Key(state, SagaInput.failed(step, false)));
        }
    }

    private static List<SagaInput> allInputs() {
        List<SagaInput> inputs = new ArrayList<>();
        for (Step step : Step.values()) {
            inputs.add(SagaInput.done(step));
            inputs.add(SagaInput.failed(step, true));
            inputs.add(SagaInput.failed(step, false));
        }
        inputs.add(new SagaInput.OperatorAwaited());
        inputs.add(new SagaInput.CancelRequested());
        return inputs;
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void everyStateAndInputBehavesAsTheTableSays(Strategy strategy) {
        Map<Key, Expected> legal = legal(strategy);
        Set<Key> duplicates = duplicates(strategy);
        int checked = 0;
        for (SagaState state : SagaState.values()) {
            for (SagaInput input : allInputs()) {
                Key key = new Key(state, input);
                String where = strategy + " " + state + " " + input;
                if (legal.containsKey(key)) {
                    Transition t = machine.apply(strategy, state, input);
                    assertThat(t.to()).as(where).isEqualTo(legal.get(key).to());
                    assertThat(t.action()).as(where).isEqualTo(legal.get(key).action());
                    assertThat(t.duplicate()).as(where).isFalse();
                } else if (duplicates.contains(key)) {
                    Transition t = machine.apply(strategy, state, input);
                    assertThat(t.duplicate()).as(where).isTrue();
                    assertThat(t.to()).as(where).isEqualTo(state);
                    assertThat(t.action()).as(where).isEqualTo(NONE);
                } else {
                    assertThatThrownBy(() -> machine.apply(strategy, state, input)).as(where)
                            .isInstanceOf(IllegalTransitionException.class)
                            .hasMessageContaining(state.name());
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(SagaState.values().length * (Step.values().length * 3 + 2));
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void theHappyPathVisitsEveryStepOfTheStrategyInOrderAndCompletes(Strategy strategy) {
        SagaState state = machine.initial();
        if (strategy == Strategy.MANUAL) {
            state = machine.apply(strategy, state, new SagaInput.OperatorAwaited()).to();
        }
        for (Step step : strategy.steps()) {
            assertThat(machine.awaitedStep(strategy, state)).contains(step);
            state = machine.apply(strategy, state, SagaInput.done(step)).to();
        }
        assertThat(state).isEqualTo(COMPLETED);
        assertThat(machine.awaitedStep(strategy, state)).isEmpty();
    }

    @Test
    void anOverlapRotationWhoseRolloutFailsRollsBackThroughEveryUndoStep() {
        Strategy s = Strategy.DUAL_PASSWORD;
        SagaState state = Stream.of(PU, SW).reduce(machine.initial(),
                (st, step) -> machine.apply(s, st, SagaInput.done(step)).to(), (a, b) -> b);
        Transition failure = machine.apply(s, state, SagaInput.failed(WR, false));
        assertThat(failure.to()).isEqualTo(ROLLING_BACK);
        assertThat(failure.action()).isEqualTo(REQUEST_ROLLBACK);
        state = failure.to();
        for (Step undo : List.of(SR, WRO, NR)) {
            state = machine.apply(s, state, SagaInput.done(undo)).to();
        }
        assertThat(state).isEqualTo(ROLLED_BACK);
    }

    @Test
    void aReplaceRotationNeverGoesBackAfterThePlatformChanged() {
        for (SagaState state : List.of(PLATFORM_UPDATED, SECRET_WRITTEN)) {
            Step awaited = machine.awaitedStep(Strategy.REPLACE, state).orElseThrow();
            Transition t = machine.apply(Strategy.REPLACE, state, SagaInput.failed(awaited, false));
            assertThat(t.to()).isEqualTo(state);
            assertThat(t.action()).isEqualTo(HOLD_FOR_RETRY);
        }
    }

    @Test
    void terminalStatesAreExactlyTheFourOutcomes() {
        assertThat(EnumSet.allOf(SagaState.class).stream().filter(SagaState::terminal))
                .containsExactlyInAnyOrder(COMPLETED, FAILED, ROLLED_BACK, CANCELLED);
    }

    @Test
    void illegalTransitionsExplainThemselves() {
        assertThatThrownBy(() -> machine.apply(Strategy.REPLACE, STARTED, SagaInput.done(Step.OLD_REVOKED)))
                .hasMessage("under strategy replace, completion of step OLD_REVOKED is not possible in state STARTED");
    }
}
