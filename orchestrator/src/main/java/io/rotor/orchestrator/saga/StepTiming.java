package io.rotor.orchestrator.saga;

import io.rotor.contracts.saga.Step;
import java.time.Duration;
import java.time.Instant;

/**
 * A completed step as the saga saw it.
 *
 * @param duration from the moment the saga began waiting for the step to the step's completion event
 * @param reported what the participant itself reported (its own work, without queueing), if it said
 */
public record StepTiming(Step step, Instant completedAt, Duration duration, Duration reported) {
}
