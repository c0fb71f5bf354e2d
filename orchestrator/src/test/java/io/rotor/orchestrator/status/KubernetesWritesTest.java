package io.rotor.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.kit.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KubernetesWritesTest {

    final List<Duration> pauses = new ArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger reReads = new AtomicInteger();
    final KubernetesWrites writes = new KubernetesWrites(
            new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(3), 5, 0.2), new SplittableRandom(7),
            pauses::add);

    @Test
    void throttlingServerErrorsAndNoAnswerAreRetriedWithGrowingJitteredPauses() {
        boolean written = writes.write("status of shop/cache", failing(429, 503, 0, -1), this::reRead);

        assertThat(written).isTrue();
        assertThat(calls).hasValue(5);
        assertThat(pauses).hasSize(4);
        assertThat(pauses.get(0)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        assertThat(pauses.get(1)).isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
        assertThat(pauses.get(3)).as("capped").isBetween(Duration.ofMillis(2400), Duration.ofMillis(3600));
        assertThat(reReads).hasValue(0);
    }

    @Test
    void forbiddenAndUnprocessableFailAtOnce() {
        assertThat(writes.write("status of shop/cache", failing(403), this::reRead)).isFalse();
        assertThat(writes.write("status of shop/cache", failing(422), this::reRead)).isFalse();

        assertThat(calls).hasValue(2);
        assertThat(pauses).isEmpty();
    }

    @Test
    void aConflictIsRetriedAfterReadingTheResourceAgain() {
        assertThat(writes.write("status of shop/cache", failing(409), this::reRead)).isTrue();

        assertThat(reReads).hasValue(1);
        assertThat(calls).hasValue(2);
    }

    @Test
    void aResourceGoneEndsTheWriteWithoutRetrying() {
        assertThat(writes.write("status of shop/cache", failing(404), this::reRead)).isFalse();
        assertThat(writes.write("status of shop/cache", failing(409), () -> false)).as("gone when read again")
                .isFalse();

        assertThat(calls).hasValue(2);
    }

    @Test
    void retriesAreBoundedByTheAttempts() {
        assertThat(writes.write("status of shop/cache", failing(500, 500, 500, 500, 500, 500), this::reRead))
                .isFalse();

        assertThat(calls).hasValue(5);
        assertThat(pauses).hasSize(4);
    }

    /** Fails with these HTTP codes in turn (0 and -1: no answer), then succeeds. */
    private Runnable failing(int... codes) {
        AtomicInteger mine = new AtomicInteger();
        return () -> {
            calls.incrementAndGet();
            int call = mine.getAndIncrement();
            if (call < codes.length) {
                throw new KubernetesClientException("HTTP " + codes[call], codes[call], null);
            }
        };
    }

    private boolean reRead() {
        reReads.incrementAndGet();
        return true;
    }
}
