package io.rotor.kit.participant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

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
     * Logins of failed or unknown outcome Rotor allows itself per account (endpoint plus user), kept in the Kubernetes
     * API (a Lease per account in {@link #namespace()}) so that restarts and replicas share one count. Each
     * rotator sets its platform's rule in its application.properties; see rotator-kit/README.md.
     */
    interface LoginBudget {

        /** Keep it below the platform's lockout threshold: workloads still using a stale value fail logins too. */
        @WithDefault("2")
        int maxFailures();

        /** Whether the platform's counter is reset by a successful login (Keystone: yes; Redis Enterprise: no). */
        @WithDefault("true")
        boolean resetOnSuccess();

        /**
         * How long without a counted attempt before the platform forgets failed logins (Redis Enterprise:
         * {@code login_lockout_counter_reset_after}, 15 minutes). Unset: only a success resets the count (Keystone).
         */
        Optional<Duration> resetAfterQuiet();

        /** Rotor's own namespace, where the budget's Leases live (never an application's namespace). */
        @WithDefault("rotor")
        String namespace();
    }
}
