package io.rotor.kit.participant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The participant runtime's settings, under {@code rotor.participant.*}. */
@ConfigMapping(prefix = "rotor.participant")
public interface ParticipantConfig {

    /** Threads for platform calls (blocking I/O). */
    @WithDefault("8")
    int workers();

    /** Rotate commands worked on at once; further ones wait (the consumer stops taking records meanwhile). */
    @WithDefault("64")
    int maxCommandsInFlight();

    /** Operations at once against one platform endpoint (a cluster URL, a set of Redis nodes). */
    @WithDefault("4")
    int perEndpointConcurrency();

    Retry retry();

    LoginBudget loginBudget();

    /** Backoff for transient failures (a node down, a timeout, a 5xx); permanent failures are never retried. */
    interface Retry {

        @WithDefault("PT2S")
        Duration initialDelay();

        @WithDefault("2.0")
        double multiplier();

        @WithDefault("PT1M")
        Duration maxDelay();

        /** Attempts in all, the first included; then the step fails for good. */
        @WithDefault("6")
        int maxAttempts();

        /** Spread of each delay, as a fraction (0.2 = ±20%). */
        @WithDefault("0.2")
        double jitter();
    }

    /**
     * Failed logins Rotor allows itself per account and window, far below the platform's lockout (Redis Enterprise:
     * 5 in 15 minutes). A refused login is never retried; this guards against repeats across rotations.
     */
    interface LoginBudget {

        @WithDefault("2")
        int maxFailures();

        @WithDefault("PT15M")
        Duration window();
    }
}
