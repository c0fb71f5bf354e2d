package io.rotor.contracts.saga;

/** What can happen to a running rotation. */
public sealed interface SagaInput {

    /** A participant completed a step. */
    record StepDone(Step step) implements SagaInput {
    }

    /** A participant reported a failure; a retriable one is retried by the participant itself. */
    record StepFailure(Step step, boolean retriable) implements SagaInput {
    }

    /** Manual strategy: the instructions are out and the rotation waits for the operator. */
    record OperatorAwaited() implements SagaInput {
    }

    /** Someone asked to cancel. Only a rotation that has changed nothing yet can be cancelled. */
    record CancelRequested() implements SagaInput {
    }

    static SagaInput done(Step step) {
        return new StepDone(step);
    }

    static SagaInput failed(Step step, boolean retriable) {
        return new StepFailure(step, retriable);
    }
}
