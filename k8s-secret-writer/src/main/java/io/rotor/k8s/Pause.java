package io.rotor.k8s;

import java.time.Duration;

/** Waiting between attempts and polls, injectable so that tests move a clock instead of sleeping. */
@FunctionalInterface
public interface Pause {

    Pause REAL = duration -> Thread.sleep(duration.toMillis());

    void pause(Duration duration) throws InterruptedException;
}
