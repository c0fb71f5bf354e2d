package io.rotor.kit.retry;

import java.time.Duration;

/** Waiting between attempts and polls, injectable so that tests record or skip the waits instead of sleeping. */
@FunctionalInterface
public interface Pause {

    Pause REAL = duration -> Thread.sleep(duration.toMillis());

    void pause(Duration duration) throws InterruptedException;
}
