package io.rotor.kit.retry;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * At most {@code limit} operations at once per key (a platform endpoint), without blocking a thread while waiting:
 * an operation over the limit is queued and started when one finishes, in arrival order. A bulk rotation of many
 * credentials on one cluster therefore reaches it a few at a time. Also bounds work that has a single key (records in
 * flight in one consumer, restarts in one namespace).
 */
public final class ConcurrencyLimiter {

    private final int limit;
    private final Map<String, Slot> slots = new HashMap<>();

    public ConcurrencyLimiter(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the concurrency limit must be at least 1");
        }
        this.limit = limit;
    }

    public <T> CompletionStage<T> run(String key, Supplier<CompletionStage<T>> operation) {
        CompletableFuture<Void> admitted = new CompletableFuture<>();
        synchronized (this) {
            Slot slot = slots.computeIfAbsent(key, k -> new Slot());
            if (slot.running < limit) {
                slot.running++;
                admitted.complete(null);
            } else {
                slot.waiting.add(admitted);
            }
        }
        return admitted.thenCompose(v -> {
            CompletionStage<T> started;
            try {
                started = operation.get();
            } catch (RuntimeException e) {
                started = CompletableFuture.failedFuture(e);
            }
            return started.whenComplete((r, e) -> release(key));
        });
    }

    /**
     * Like {@link #run}, but the returned stage completes as soon as the operation has started, not when it ends: a
     * consumer can then take its next record while this one runs on, and still never has more than the limit running.
     * The slot is held until the operation's own stage completes.
     */
    public <T> CompletionStage<Void> start(String key, Supplier<CompletionStage<T>> operation) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        this.<T>run(key, () -> {
            started.complete(null);
            return operation.get();
        });
        return started;
    }

    /** Operations running now for {@code key}. */
    public synchronized int running(String key) {
        Slot slot = slots.get(key);
        return slot == null ? 0 : slot.running;
    }

    private void release(String key) {
        CompletableFuture<Void> next;
        synchronized (this) {
            Slot slot = slots.get(key);
            next = slot.waiting.poll();
            if (next == null) {
                slot.running--;
                if (slot.running == 0) {
                    slots.remove(key);
                }
            }
        }
        if (next != null) {
            next.complete(null);
        }
    }

    private static final class Slot {
        int running;
        final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    }
}
