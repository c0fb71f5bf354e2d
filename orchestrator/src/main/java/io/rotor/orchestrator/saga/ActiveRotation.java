package io.rotor.orchestrator.saga;

import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.saga.SagaState;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.SealedValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The rotation in flight for a credential, with everything needed to resume it after a restart: the spec snapshot,
 * the sealed new value (and, once the platform changed, the sealed previous one, for rollback), where it stands since
 * when, what each step took, and the last failure.
 *
 * @param stateSince     when the rotation entered {@code state}: the time of the event that moved it there, so every
 *                       replica computes the same deadline
 * @param rollbackCause  the failure that started a rollback, repeated in {@code RotationRolledBack}
 * @param stalledIn      the state for which a {@code RotationStalled} was already published (once per state)
 * @param operatorConfirmed manual strategy: the operator confirmed the new value, so it can no longer be cancelled
 */
public record ActiveRotation(String rotationId, String requestId, String requestedBy, String reason,
        ManagedCredentialSpec spec, Map<String, SealedValue> material, Map<String, SealedValue> previous,
        SagaState state, Instant startedAt, Instant stateSince, List<StepTiming> steps, FailureInfo lastFailure,
        FailureInfo rollbackCause, SagaState stalledIn, boolean operatorConfirmed) {

    public ActiveRotation {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public ActiveRotation movedTo(SagaState next, Instant at) {
        return new ActiveRotation(rotationId, requestId, requestedBy, reason, spec, material, previous, next, startedAt,
                at, steps, next == state ? lastFailure : null, rollbackCause, stalledIn, operatorConfirmed);
    }

    public ActiveRotation withStep(StepTiming timing) {
        List<StepTiming> all = new ArrayList<>(steps);
        all.add(timing);
        return new ActiveRotation(rotationId, requestId, requestedBy, reason, spec, material, previous, state,
                startedAt, stateSince, all, lastFailure, rollbackCause, stalledIn, operatorConfirmed);
    }

    public ActiveRotation withMaterial(Map<String, SealedValue> newMaterial, Map<String, SealedValue> previousMaterial) {
        return new ActiveRotation(rotationId, requestId, requestedBy, reason, spec, newMaterial, previousMaterial,
                state, startedAt, stateSince, steps, lastFailure, rollbackCause, stalledIn, operatorConfirmed);
    }

    public ActiveRotation withFailure(FailureInfo failure) {
        return new ActiveRotation(rotationId, requestId, requestedBy, reason, spec, material, previous, state,
                startedAt, stateSince, steps, failure, rollbackCause, stalledIn, operatorConfirmed);
    }

    public ActiveRotation withRollbackCause(FailureInfo cause) {
        return new ActiveRotation(rotationId, requestId, requestedBy, reason, spec, material, previous, state,
                startedAt, stateSince, steps, lastFailure, cause, stalledIn, operatorConfirmed);
    }

    public ActiveRotation stalledIn(SagaState stalled) {
        return new ActiveRotation(rotationId, requestId, requestedBy, reason, spec, material, previous, state,
                startedAt, stateSince, steps, lastFailure, rollbackCause, stalled, operatorConfirmed);
    }

    public ActiveRotation confirmed() {
        return new ActiveRotation(rotationId, requestId, requestedBy, reason, spec, material, previous, state,
                startedAt, stateSince, steps, lastFailure, rollbackCause, stalledIn, true);
    }

    /** The confirmed password was refused: the operator may confirm again, or cancel. */
    public ActiveRotation unconfirmed() {
        return new ActiveRotation(rotationId, requestId, requestedBy, reason, spec, material, previous, state,
                startedAt, stateSince, steps, lastFailure, rollbackCause, stalledIn, false);
    }

    /** Whether a stall was already reported for the current state. */
    public boolean stallReported() {
        return stalledIn == state;
    }

    /** Per-step durations as outcomes carry them. */
    public Map<Step, Duration> stepDurations() {
        Map<Step, Duration> durations = new EnumMap<>(Step.class);
        steps.forEach(t -> durations.put(t.step(), t.duration()));
        return durations;
    }

    @Override
    public String toString() {
        // The generated toString would print the sealed maps; they print only key ids, but keep logs short anyway.
        return "ActiveRotation[" + rotationId + ", " + state + " since " + stateSince + "]";
    }
}
