package io.rotor.orchestrator.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers kept for a short while, so a dashboard refreshing every few seconds does not send the API server a review
 * per row and per refresh; short, because a revoked binding or token must stop working soon. Bounded: past
 * {@code maxEntries} the expired answers go, and if that is not enough, all of them.
 */
final class ShortCache<K, V> {

    private record Entry<V>(V value, Instant expires) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;

    ShortCache(Duration ttl, int maxEntries, Clock clock) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The cached answer, or a fresh one from {@code compute} (which may throw; nothing is cached then). */
    <X extends Exception> V get(K key, Computation<V, X> compute) throws X {
        Instant now = clock.instant();
        Entry<V> cached = entries.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.value();
        }
        V value = compute.get();
        if (!ttl.isZero() && !ttl.isNegative()) {
            if (entries.size() >= maxEntries) {
                entries.values().removeIf(e -> !now.isBefore(e.expires()));
                if (entries.size() >= maxEntries) {
                    entries.clear();
                }
            }
            entries.put(key, new Entry<>(value, now.plus(ttl)));
        }
        return value;
    }

    int size() {
        return entries.size();
    }

    @FunctionalInterface
    interface Computation<V, X extends Exception> {
        V get() throws X;
    }
}
