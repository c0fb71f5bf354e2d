package io.rotor.kit.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Random random = new Random(42);

    @Test
    void delaysGrowExponentiallyUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5), 10, 0);

        assertThat(backoff.delayAfter(1, random)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delayAfter(2, random)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayAfter(3, random)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delayAfter(4, random)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.delayAfter(9, random)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void jitterSpreadsDelaysWithinItsFraction() {
        Backoff backoff = new Backoff(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1), 10, 0.2);

        for (int i = 0; i < 100; i++) {
            assertThat(backoff.delayAfter(1, random)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
        }
    }

    @Test
    void attemptsAreBounded() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5), 3, 0);

        assertThat(backoff.allowsAnotherAfter(2)).isTrue();
        assertThat(backoff.allowsAnotherAfter(3)).isFalse();
        assertThat(Backoff.none().allowsAnotherAfter(1)).isFalse();
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(1), 3, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), 3, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
