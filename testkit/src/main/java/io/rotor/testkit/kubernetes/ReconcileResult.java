package io.rotor.testkit.kubernetes;

import java.time.Duration;
import java.util.Optional;

/** What a reconcile asks of the controller loop next. */
record ReconcileResult(boolean workloadGone, Optional<Duration> requeueAfter) {

    static ReconcileResult settled() {
        return new ReconcileResult(false, Optional.empty());
    }

    static ReconcileResult requeueAfter(Duration delay) {
        return new ReconcileResult(false, Optional.of(delay));
    }

    static ReconcileResult gone() {
        return new ReconcileResult(true, Optional.empty());
    }

    static ReconcileResult of(Duration delayOrNull) {
        return delayOrNull == null ? settled() : requeueAfter(delayOrNull);
    }
}
