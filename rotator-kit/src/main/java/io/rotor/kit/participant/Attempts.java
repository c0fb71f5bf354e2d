package io.rotor.kit.participant;

import io.rotor.contracts.event.MessageLimit;
import io.rotor.contracts.event.StepFailed;
import io.rotor.kit.messaging.EventPublisher;
import io.rotor.kit.retry.Backoff;
import io.rotor.kit.retry.ConcurrencyLimiter;
import io.rotor.kit.timer.Timers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * Runs one platform operation until it succeeds, fails for good, or runs out of attempts. Each attempt runs on a
 * worker thread within the endpoint's concurrency limit; between attempts nothing blocks: the next one is set on a
 * timer. A retriable failure is announced as {@code StepFailed(retriable = true)}, so the saga shows it at once.
 */
final class Attempts {

    private static final Logger LOG = Logger.getLogger(Attempts.class);

    private final Executor workers;
    private final Timers timers;
    private final Backoff backoff;
    private final ConcurrencyLimiter endpoints;
    private final EventPublisher publisher;
    private final ParticipantMetrics metrics;
    private final RandomGenerator random;

    Attempts(Executor workers, Timers timers, Backoff backoff, ConcurrencyLimiter endpoints, EventPublisher publisher,
            ParticipantMetrics metrics, RandomGenerator random) {
        this.workers = workers;
        this.timers = timers;
        this.backoff = backoff;
        this.endpoints = endpoints;
        this.publisher = publisher;
        this.metrics = metrics;
        this.random = random;
    }

    Backoff backoff() {
        return backoff;
    }

    /**
     * @param announce publish a retriable {@code StepFailed} before each retry (not for compensations, which are
     *                 reported with the failure that caused them)
     * @return completes with the result, or fails with {@link GivenUp}
     */
    <T> CompletionStage<T> run(StepScope scope, String endpointKey, boolean announce, Supplier<T> operation) {
        return attempt(1, scope, endpointKey, announce, operation);
    }

    private <T> CompletionStage<T> attempt(int n, StepScope scope, String endpointKey, boolean announce,
            Supplier<T> operation) {
        CompletionStage<T> once = endpoints.run(endpointKey,
                () -> CompletableFuture.supplyAsync(() -> {
                    try (var ctx = scope.logContext()) {
                        return operation.get();
                    }
                }, workers));
        return once.handle((value, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(value);
            }
            PlatformException failure = GivenUp.of(error).failure();
            if (!failure.retriable() || !backoff.allowsAnotherAfter(n)) {
                return CompletableFuture.<T>failedFuture(new GivenUp(failure, n));
            }
            Duration wait = backoff.delayAfter(n, random);
            try (var ctx = scope.logContext()) {
                LOG.warnf("%s failed (attempt %d of %d, %s): %s; retrying in %s",
                        scope.step(), n, backoff.maxAttempts(), failure.reason().code(), failure.getMessage(), wait);
            }
            metrics.failed(scope, failure.reason(), true);
            CompletionStage<Void> announced = announce ? announce(scope, failure, n, wait) : done();
            return announced.thenCompose(v -> timers.after(wait))
                    .thenCompose(v -> attempt(n + 1, scope, endpointKey, announce, operation));
        }).thenCompose(Function.identity());
    }

    private CompletionStage<Void> announce(StepScope scope, PlatformException failure, int attempt, Duration wait) {
        String message = MessageLimit.apply(failure.getMessage() + " (attempt " + attempt + " of " + backoff.maxAttempts()
                + "; retrying in " + wait.toMillis() + " ms)");
        StepFailed event = new StepFailed(scope.rotationId(), scope.credential(), scope.step(),
                failure.reason().code(), message, true, attempt, scope.platform());
        // Only news: the step goes on whether or not this record makes it, so a publishing failure does not stop it.
        return publisher.publish(event).exceptionally(e -> {
            try (var ctx = scope.logContext()) {
                LOG.warnf("could not publish the retriable failure of %s: %s", scope.step(),
                        e.getMessage());
            }
            return null;
        });
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
