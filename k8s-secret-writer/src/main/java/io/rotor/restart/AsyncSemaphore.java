package io.rotor.restart;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/** A counting semaphore whose acquire is a future, so waiting for a permit holds no thread. Fair (FIFO). */
final class AsyncSemaphore {

    private final int permits;
    private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int used;

    AsyncSemaphore(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("a semaphore needs at least one permit");
        }
        this.permits = permits;
    }

    CompletableFuture<Void> acquire() {
        synchronized (this) {
            if (used < permits) {
                used++;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> later = new CompletableFuture<>();
            waiting.add(later);
            return later;
        }
    }

    void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                used--;
                return;
            }
        }
        // The permit passes straight to the next waiter; completed outside the lock, since it runs their code.
        next.complete(null);
    }

    synchronized int inUse() {
        return used;
    }

    synchronized int queued() {
        return waiting.size();
    }
}
