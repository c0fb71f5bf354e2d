package io.rotor.kit.participant;

import io.rotor.kit.timer.ManualTimers;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * The kit's test app: an in-memory platform and Secrets (also the app's SecretLookup), and a clock the test moves
 * (also the app's Timers).
 */
public class TestParticipantBeans {

    static final Instant START = Instant.parse("2026-03-01T02:00:00Z");

    @Produces
    @Singleton
    InMemoryPlatform platform() {
        return new InMemoryPlatform();
    }

    @Produces
    @Singleton
    InMemorySecrets secrets() {
        return new InMemorySecrets();
    }

    @Produces
    @Singleton
    ManualTimers manualTimers() {
        return new ManualTimers(START);
    }
}
