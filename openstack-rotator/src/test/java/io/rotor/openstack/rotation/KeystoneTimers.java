package io.rotor.openstack.rotation;

import io.rotor.kit.timer.Timers;
import io.rotor.testkit.keystone.Keystone;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The adapter's time is Keystone's: waiting moves the fake's clock (no real wait) and really waits for a real
 * Keystone, whose token rule counts real seconds.
 */
final class KeystoneTimers implements Timers {

    private final Keystone keystone;

    KeystoneTimers(Keystone keystone) {
        this.keystone = keystone;
    }

    @Override
    public Clock clock() {
        return keystone.clock();
    }

    @Override
    public CompletionStage<Void> at(Instant due) {
        Duration left = Duration.between(keystone.clock().instant(), due);
        if (!left.isNegative() && !left.isZero()) {
            keystone.elapse(left);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public int pending() {
        return 0;
    }
}
