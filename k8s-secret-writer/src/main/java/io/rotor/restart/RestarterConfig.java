package io.rotor.restart;

import io.rotor.kit.retry.Backoff;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The pod restarter's settings, under {@code rotor.restarter.*}. */
@ConfigMapping(prefix = "rotor.restarter")
public interface RestarterConfig {

    /**
     * How long a workload's restart waits for further requests: it starts once no other request for the workload came
     * for this long. Secrets of one workload that change in a burst (a bulk rotation) restart it once.
     */
    @WithDefault("PT2S")
    Duration debounce();

    /** The longest a restart waits for a burst to end, counted from its first request. */
    @WithDefault("PT30S")
    Duration debounceMaxWait();

    /** Restarts running at once in one namespace; further ones wait for a slot. */
    @WithDefault("4")
    int maxConcurrentPerNamespace();

    /** How often a restarting workload's status is read. */
    @WithDefault("PT1S")
    Duration pollInterval();

    /**
     * Step events being worked on at once (received, not yet answered); the consumer stops fetching beyond this.
     * Each holds its Kafka offset uncommitted until its answer is acknowledged.
     */
    @WithDefault("500")
    int maxInFlight();

    /** Threads that run restarts and wait for rollouts (a restart holds one while it waits). */
    @WithDefault("16")
    int threads();

    Retry retry();

    /** Retrying calls that failed because the API server did not answer: no answer, 429, 5xx. */
    interface Retry {

        @WithDefault("6")
        int maxAttempts();

        @WithDefault("PT0.2S")
        Duration initialBackoff();

        @WithDefault("PT10S")
        Duration maxBackoff();

        /** Doubling pauses without jitter: the writer's calls are few and per record, not a herd to spread. */
        default Backoff backoff() {
            return new Backoff(initialBackoff(), 2.0, maxBackoff(), maxAttempts(), 0);
        }
    }
}
