package io.rotor.kit.participant;

import io.rotor.contracts.event.MessageLimit;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.SealingException;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.kit.timer.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The end of an overlap rotation: once the workloads run with the new value, wait the credential's propagation delay
 * and retire the old value ({@code OLD_REVOKED}); in a rollback, once they run with the old value again, wait as well
 * and remove the new one ({@code NEW_REVOKED}).
 *
 * <p>The wait is counted from the event's {@code ce_time}, not from when this process saw it, and the event stays
 * unacknowledged until the answer is published. A restart during the wait therefore neither skips it nor loses the
 * revoke: Kafka redelivers the event and the timer is set again for the same moment (or fires at once if it passed).
 * Meanwhile the consumer goes on with later records, so other credentials are not held up.
 */
final class RetireStep {

    enum Retirement {
        OLD_VALUE(Step.OLD_REVOKED),
        NEW_VALUE(Step.NEW_REVOKED);

        final Step step;

        Retirement(Step step) {
            this.step = step;
        }
    }

    private static final Logger LOG = Logger.getLogger(RetireStep.class);

    private final SealingKeys keys;
    private final Attempts attempts;
    private final Timers timers;
    private final CredentialLanes lanes;
    private final ParticipantMetrics metrics;
    private final AtomicInteger waiting = new AtomicInteger();

    RetireStep(SealingKeys keys, Attempts attempts, Timers timers, CredentialLanes lanes, ParticipantMetrics metrics) {
        this.keys = keys;
        this.attempts = attempts;
        this.timers = timers;
        this.lanes = lanes;
        this.metrics = metrics;
    }

    int waiting() {
        return waiting.get();
    }

    /**
     * @param eventTime the event's {@code ce_time}; null only for a record from outside Rotor, which then waits from
     *                  now
     */
    CompletionStage<List<RotorEvent>> schedule(StepCompleted event, Instant eventTime, Retirement what,
            PlatformAdapter adapter) {
        StepScope scope = new StepScope(event.rotationId(), event.credential(), event.spec().platform(), what.step);
        Instant from = eventTime != null ? eventTime : timers.now();
        Duration delay = event.spec().propagationDelayOrDefault();
        Instant due = from.plus(delay);
        try (var ctx = scope.logContext()) {
            LOG.infof("%s after the propagation delay of %s: due at %s%s", what.step, delay,
                    due, due.isAfter(timers.now()) ? "" : " (already due)");
        }
        waiting.incrementAndGet();
        return timers.at(due)
                .whenComplete((v, e) -> waiting.decrementAndGet())
                .thenCompose(v -> lanes.run(event.credential(), () -> retire(scope, event, from, what, adapter)));
    }

    private CompletionStage<List<RotorEvent>> retire(StepScope scope, StepCompleted event, Instant from,
            Retirement what, PlatformAdapter adapter) {
        Rotation rotation;
        try {
            rotation = new Rotation(event.rotationId(), event.credential(), event.spec(),
                    open(event, event.material(), Purpose.NEW), open(event, event.previous(), Purpose.PREVIOUS));
        } catch (PlatformException e) {
            return CompletableFuture.completedFuture(List.of(failed(scope, from, new GivenUp(e, 1))));
        }
        return attempts.run(scope, adapter.endpointKey(event.spec()), true,
                        () -> what == Retirement.OLD_VALUE ? adapter.revoke(rotation) : adapter.removeNew(rotation))
                .thenApply(change -> List.<RotorEvent>of(completed(scope, event, from, change)))
                .exceptionally(error -> List.of(failed(scope, from, GivenUp.of(error))));
    }

    private CredentialMaterial open(StepCompleted event, Map<String, SealedValue> sealed, Purpose purpose) {
        if (sealed == null || sealed.isEmpty()) {
            throw new PlatformException(KitFailure.PREVIOUS_VALUE_MISSING, "the " + event.step()
                    + " event carries no " + purpose.name().toLowerCase() + " value, so there is nothing to retire");
        }
        try {
            return CredentialMaterial.open(keys.sealerFor(event.spec().platform()), sealed, event.rotationId(), event.credential(), purpose);
        } catch (SealingException e) {
            throw new PlatformException(KitFailure.SEALED_VALUE_UNREADABLE, "the " + purpose.name().toLowerCase()
                    + " value in the " + event.step() + " event cannot be opened: " + e.getMessage());
        }
    }

    private StepCompleted completed(StepScope scope, StepCompleted event, Instant from, Change change) {
        Duration duration = durationSince(from);
        Map<String, String> details = new LinkedHashMap<>(change.details());
        details.put("changed", Boolean.toString(change.changed()));
        metrics.completed(scope, duration, change.changed());
        try (var ctx = scope.logContext()) {
            LOG.infof("%s (%s)", scope.step(),
                    change.changed() ? "removed" : "was already gone");
        }
        return new StepCompleted(scope.rotationId(), scope.credential(), scope.step(), event.spec(),
                event.material(), event.previous(), details, duration);
    }

    private StepFailed failed(StepScope scope, Instant from, GivenUp givenUp) {
        PlatformException failure = givenUp.failure();
        String message = failure.getMessage()
                + (failure.retriable() ? " (gave up after " + givenUp.attempts() + " attempts)" : "");
        metrics.failedFinally(scope, durationSince(from), failure.reason());
        try (var ctx = scope.logContext()) {
            LOG.errorf("%s failed for good (%s): %s", scope.step(), failure.reason().code(),
                    message);
        }
        return new StepFailed(scope.rotationId(), scope.credential(), scope.step(), failure.reason().code(),
                MessageLimit.apply(message), false, givenUp.attempts(), scope.platform());
    }

    private Duration durationSince(Instant from) {
        Duration d = Duration.between(from, timers.now());
        return d.isNegative() ? Duration.ZERO : d;
    }
}
