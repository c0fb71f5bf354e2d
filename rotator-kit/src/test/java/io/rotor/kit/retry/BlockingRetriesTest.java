package io.rotor.kit.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BlockingRetriesTest {

    private final List<Duration> pauses = new ArrayList<>();
    private final BlockingRetries retries = new BlockingRetries(
            new Backoff(Duration.ofMillis(100), 2.0, Duration.ofMillis(300), 4, 0), new SplittableRandom(1),
            pauses::add);

    @Test
    void retriableFailuresAreTriedAgainAfterGrowingCappedPauses() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        String result = retries.call("reading", () -> {
            if (calls.incrementAndGet() < 4) {
                throw new IllegalStateException("busy");
            }
            return "ok";
        }, IllegalStateException.class::isInstance, RuntimeException::getMessage);

        assertThat(result).isEqualTo("ok");
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
    }

    @Test
    void theLastFailureIsThrownOnceTheAttemptsAreSpent() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retries.call("reading", () -> {
            throw new IllegalStateException("busy " + calls.incrementAndGet());
        }, e -> true, RuntimeException::getMessage)).hasMessage("busy 4");
        assertThat(pauses).hasSize(3);
    }

    @Test
    void shouldNotRetryWhatTheRuleCallsPermanent() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retries.call("writing", () -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("refused");
        }, IllegalStateException.class::isInstance, RuntimeException::getMessage))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(calls).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void anInterruptedPauseIsReportedAndTheFlagKept() {
        BlockingRetries interrupted = new BlockingRetries(
                new Backoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 3, 0), new SplittableRandom(1), d -> {
                    throw new InterruptedException();
                });

        assertThatThrownBy(() -> interrupted.call("reading", () -> {
            throw new IllegalStateException("busy");
        }, e -> true, RuntimeException::getMessage)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isTrue();
    }
}
