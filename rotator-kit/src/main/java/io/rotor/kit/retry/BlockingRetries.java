package io.rotor.kit.retry;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * Runs a blocking call under a {@link Backoff}, on the calling thread: a failure the caller's rule calls retriable is
 * tried again after the backoff's pause, until the backoff allows no more attempts; any other failure, and the last
 * one, is thrown as it was. The non-blocking counterpart for saga steps is the participant runtime's attempts, which
 * set the next attempt on a timer instead of pausing a thread.
 */
public final class BlockingRetries {

    private static final Logger LOG = Logger.getLogger(BlockingRetries.class);

    private final Backoff backoff;
    private final RandomGenerator random;
    private final Pause pause;

    public BlockingRetries(Backoff backoff, RandomGenerator random, Pause pause) {
        this.backoff = backoff;
        this.random = random;
        this.pause = pause;
    }

    public Backoff backoff() {
        return backoff;
    }

    /**
     * @param what      names the call for the log (never a value)
     * @param retriable which failures another attempt may fix
     * @param describe  what to log of a failure that is retried; must not quote values
     * @throws RuntimeException     the failure that is not retriable, or the last one
     * @throws InterruptedException when a pause was interrupted (the thread's flag is set again): the caller decides
     *                              what stopping means for its work
     */
    public <T> T call(String what, Supplier<T> call, Predicate<RuntimeException> retriable,
            Function<RuntimeException, String> describe) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (!retriable.test(e) || !backoff.allowsAnotherAfter(attempt)) {
                    throw e;
                }
                Duration wait = backoff.delayAfter(attempt, random);
                LOG.warnf("%s failed (%s), attempt %d of %d; retrying in %s", what, describe.apply(e), attempt,
                        backoff.maxAttempts(), wait);
                try {
                    pause.pause(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw interrupted;
                }
            }
        }
    }
}
