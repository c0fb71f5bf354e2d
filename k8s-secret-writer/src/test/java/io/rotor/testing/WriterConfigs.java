package io.rotor.testing;

import io.rotor.secret.WriterConfig;
import java.time.Duration;

/** Writer settings for tests built without Quarkus: fast retries. */
public final class WriterConfigs {

    private WriterConfigs() {
    }

    public static WriterConfig fast() {
        return fast(3, 10);
    }

    public static WriterConfig fast(int retain, int conflictAttempts) {
        return new WriterConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Retry retry() {
                return new Retry() {
                    @Override
                    public int maxAttempts() {
                        return 3;
                    }

                    @Override
                    public Duration initialBackoff() {
                        return Duration.ofMillis(1);
                    }

                    @Override
                    public Duration maxBackoff() {
                        return Duration.ofMillis(5);
                    }
                };
            }

            @Override
            public int conflictAttempts() {
                return conflictAttempts;
            }

            @Override
            public Previous previous() {
                return () -> retain;
            }

            @Override
            public Vault vault() {
                return () -> Duration.ofSeconds(5);
            }
        };
    }
}
