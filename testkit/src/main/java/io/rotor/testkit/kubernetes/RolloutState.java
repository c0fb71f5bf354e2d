package io.rotor.testkit.kubernetes;

import java.time.Duration;
import java.time.Instant;

/**
 * What the controller remembers about one workload between reconciles. Confined to the controller's single thread.
 */
final class RolloutState {

    private String templateHash;
    private Instant rolloutStartedAt = Instant.now();
    private long nextStepNanos = System.nanoTime();

    /**
     * Records the template now in force. Returns true if it differs from the one seen before — a restart, in
     * {@code kubectl rollout restart} terms — and false on first sight or when unchanged.
     */
    boolean observeTemplate(String hash) {
        if (hash.equals(templateHash)) {
            return false;
        }
        boolean changed = templateHash != null;
        templateHash = hash;
        rolloutStartedAt = Instant.now();
        return changed;
    }

    Instant rolloutStartedAt() {
        return rolloutStartedAt;
    }

    /** Time left until the next pod change may happen; zero if it may happen now. */
    Duration untilNextStep() {
        long left = nextStepNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    void stepped(Duration stepDelay) {
        nextStepNanos = System.nanoTime() + stepDelay.toNanos();
    }
}
