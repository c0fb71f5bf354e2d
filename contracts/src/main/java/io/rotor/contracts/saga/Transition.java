package io.rotor.contracts.saga;

/**
 * The result of feeding an input to the state machine.
 *
 * @param duplicate the input repeats a step already passed (a redelivered event): nothing changes
 */
public record Transition(SagaState from, SagaState to, SagaAction action, boolean duplicate) {

    static Transition to(SagaState from, SagaState to, SagaAction action) {
        return new Transition(from, to, action, false);
    }

    static Transition stay(SagaState state, SagaAction action) {
        return new Transition(state, state, action, false);
    }

    static Transition duplicate(SagaState state) {
        return new Transition(state, state, SagaAction.NONE, true);
    }

    public boolean changed() {
        return from != to;
    }
}
