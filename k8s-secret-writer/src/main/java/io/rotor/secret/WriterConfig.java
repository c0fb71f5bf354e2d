package io.rotor.secret;

import io.rotor.kit.retry.Backoff;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The secret writer's settings, under {@code rotor.writer.*}. */
@ConfigMapping(prefix = "rotor.writer")
public interface WriterConfig {

    /**
     * Whether this instance writes Secrets. The image runs as two Deployments (writer and restarter); the restarter
     * turns the writer off and then holds no sealing keys at all.
     */
    @WithDefault("true")
    boolean enabled();

    Retry retry();

    /**
     * How many times one Secret is read again and its change redone after an update was refused with 409 because
     * someone else changed it in between.
     */
    @WithDefault("10")
    int conflictAttempts();

    Previous previous();

    Vault vault();

    /** Retrying calls that failed because the API server (or Vault) did not answer: no answer, 429, 5xx. */
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

    /** The companion Secrets that keep each Secret's previous version for rollback. */
    interface Previous {

        /**
         * How many previous versions to keep per Secret; older companions are deleted after a write. The one the
         * Secret's {@code rotor.io/previous-version} annotation names is always kept.
         */
        @WithDefault("3")
        int retain();
    }

    interface Vault {

        /** Connect and request timeout for Vault calls. */
        @WithDefault("PT10S")
        Duration timeout();
    }
}
