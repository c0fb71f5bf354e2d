package io.rotor.kit.participant;

/**
 * Why a step failed: a stable code for {@code StepFailed.errorCode} (the platform's own where it has one, such as
 * {@code password_not_complex}) and whether trying again can help. Adapters declare their codes as enums.
 */
public interface FailureCode {

    /** Lower case letters, digits, '_', '.' or '-', at most 64 characters. */
    String code();

    /** A transient condition (a node down, a timeout, a 5xx): the runtime retries with backoff. */
    boolean retriable();
}
