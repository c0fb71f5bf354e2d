package io.rotor.contracts.saga;

import io.rotor.contracts.credential.Strategy;

/** An input that cannot happen in the current state under the rotation's strategy. */
public class IllegalTransitionException extends RuntimeException {

    private final Strategy strategy;
    private final SagaState state;
    private final SagaInput input;

    public IllegalTransitionException(Strategy strategy, SagaState state, SagaInput input) {
        super("under strategy " + strategy.value() + ", " + describe(input) + " is not possible in state " + state);
        this.strategy = strategy;
        this.state = state;
        this.input = input;
    }

    public Strategy strategy() {
        return strategy;
    }

    public SagaState state() {
        return state;
    }

    public SagaInput input() {
        return input;
    }

    private static String describe(SagaInput input) {
        if (input instanceof SagaInput.StepDone d) {
            return "completion of step " + d.step();
        }
        if (input instanceof SagaInput.StepFailure f) {
            return (f.retriable() ? "a retriable" : "a permanent") + " failure of step " + f.step();
        }
        return input instanceof SagaInput.OperatorAwaited ? "waiting for the operator" : "cancelling";
    }
}
