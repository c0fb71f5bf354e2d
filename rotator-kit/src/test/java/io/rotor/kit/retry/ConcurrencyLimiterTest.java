package io.rotor.kit.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class ConcurrencyLimiterTest {

    @Test
    void operationsOverTheLimitWaitForOneToFinishAndStartInArrivalOrder() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2);
        List<CompletableFuture<String>> gates = new ArrayList<>();
        List<String> started = new ArrayList<>();
        List<CompletionStage<String>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "op" + i;
            CompletableFuture<String> gate = new CompletableFuture<>();
            gates.add(gate);
            results.add(limiter.run("rec-1", () -> {
                started.add(name);
                return gate;
            }));
        }

        assertThat(started).containsExactly("op0", "op1");
        assertThat(limiter.running("rec-1")).isEqualTo(2);
        gates.get(1).complete("done");
        assertThat(started).containsExactly("op0", "op1", "op2");
        gates.get(0).completeExceptionally(new IllegalStateException("failed"));
        assertThat(started).containsExactly("op0", "op1", "op2", "op3");
        gates.get(2).complete("done");
        gates.get(3).complete("done");

        assertThat(limiter.running("rec-1")).isZero();
        assertThat(results.get(3).toCompletableFuture()).isCompletedWithValue("done");
    }

    @Test
    void keysAreLimitedIndependently() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1);
        limiter.run("rec-1", CompletableFuture::new);
        List<String> started = new ArrayList<>();

        limiter.run("rec-2", () -> {
            started.add("other endpoint");
            return CompletableFuture.completedFuture(null);
        });

        assertThat(started).containsExactly("other endpoint");
    }

    @Test
    void startCompletesWhenTheOperationStartsAndHoldsTheSlotUntilItEnds() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1);
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletionStage<Void> firstStarted = limiter.start("records", () -> first);
        CompletionStage<Void> secondStarted = limiter.start("records", () -> CompletableFuture.completedFuture("x"));

        assertThat(firstStarted.toCompletableFuture()).isCompleted();
        assertThat(secondStarted.toCompletableFuture()).isNotDone();
        assertThat(limiter.running("records")).isEqualTo(1);

        first.complete("done");

        assertThat(secondStarted.toCompletableFuture()).isCompleted();
        assertThat(limiter.running("records")).isZero();
    }

    @Test
    void anOperationThatThrowsGivesItsSlotBack() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1);

        CompletionStage<Object> failed = limiter.run("rec-1", () -> {
            throw new IllegalStateException("broken");
        });

        assertThat(failed.toCompletableFuture()).isCompletedExceptionally();
        assertThat(limiter.running("rec-1")).isZero();
    }
}
