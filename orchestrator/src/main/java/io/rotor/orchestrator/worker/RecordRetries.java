package io.rotor.orchestrator.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which record a member keeps retrying, and since when. Retrying one record blocks its partition (records are handled
 * in order), so one retried for long means the member stands still while its thread looks alive; the health check
 * reports that as DOWN. Written by the member's thread, read by health checks.
 */
final class RecordRetries {

    private record Retrying(String position, Instant since) {
    }

    private volatile Retrying retrying;

    /** The record at {@code position} failed again; its retries started at the first failure. */
    void failed(String position, Instant now) {
        Retrying current = retrying;
        if (current == null || !current.position().equals(position)) {
            retrying = new Retrying(position, now);
        }
    }

    /** A record was handled, or the member starts over: nothing is being retried. */
    void clear() {
        retrying = null;
    }

    /** The record retried for at least {@code after}, and since when; empty while records move. */
    Optional<String> stuck(Duration after, Instant now) {
        Retrying current = retrying;
        if (current == null || Duration.between(current.since(), now).compareTo(after) < 0) {
            return Optional.empty();
        }
        return Optional.of(current.position() + " retried since " + current.since());
    }
}
