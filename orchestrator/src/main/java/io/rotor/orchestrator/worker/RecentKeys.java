package io.rotor.orchestrator.worker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A set of keys that holds at most {@code capacity} and forgets the oldest first. The ticker remembers what it
 * published until the saga reads it back; by the time a key is this old it has long been read back, so forgetting it
 * costs at worst one repeated report, never a lost one. Used on the member's one thread.
 */
final class RecentKeys {

    private final Map<String, Boolean> keys;

    RecentKeys(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.keys = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    boolean contains(String key) {
        return keys.containsKey(key);
    }

    void add(String key) {
        keys.put(key, Boolean.TRUE);
    }

    void clear() {
        keys.clear();
    }

    int size() {
        return keys.size();
    }
}
