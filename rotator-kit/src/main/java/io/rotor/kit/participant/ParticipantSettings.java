package io.rotor.kit.participant;

import io.rotor.kit.retry.Backoff;
import java.time.Duration;

/**
 * How the runtime paces itself: worker threads for platform calls, commands taken at once, operations at once per
 * endpoint, and the backoff for transient failures. {@link ParticipantConfig} is where a service sets them.
 */
public record ParticipantSettings(int workers, int maxCommandsInFlight, int perEndpointConcurrency, Backoff backoff) {

    public ParticipantSettings {
        if (workers < 1 || maxCommandsInFlight < 1 || perEndpointConcurrency < 1) {
            throw new IllegalArgumentException("workers, commands in flight and per-endpoint concurrency must be >= 1");
        }
    }

    public static ParticipantSettings of(ParticipantConfig config) {
        ParticipantConfig.Retry r = config.retry();
        return new ParticipantSettings(config.workers(), config.maxCommandsInFlight(), config.perEndpointConcurrency(),
                new Backoff(r.initialDelay(), r.multiplier(), r.maxDelay(), r.maxAttempts(), r.jitter()));
    }

    /** Small and quick, for tests: no jitter, short delays. */
    public static ParticipantSettings forTests(int maxAttempts) {
        return new ParticipantSettings(4, 16, 2,
                new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(8), maxAttempts, 0));
    }
}
