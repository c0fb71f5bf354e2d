package io.rotor.kit.participant;

import io.rotor.contracts.credential.CredentialRef;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One credential's work runs one piece at a time, in the order it arrived; different credentials run side by side.
 * Kafka keeps one credential's records in order, but the runtime does not wait for a record before taking the next,
 * so this restores the order where it matters: never an apply and a revoke of one credential at once.
 */
final class CredentialLanes {

    private final Map<CredentialRef, CompletableFuture<?>> tails = new HashMap<>();

    synchronized <T> CompletionStage<T> run(CredentialRef credential, Supplier<CompletionStage<T>> work) {
        CompletableFuture<?> tail = tails.getOrDefault(credential, CompletableFuture.completedFuture(null));
        CompletableFuture<T> next = tail.handle((r, e) -> null).thenCompose(v -> work.get()).toCompletableFuture();
        tails.put(credential, next);
        next.whenComplete((r, e) -> {
            synchronized (this) {
                if (tails.get(credential) == next) {
                    tails.remove(credential);
                }
            }
        });
        return next;
    }

    synchronized int busy() {
        return tails.size();
    }
}
