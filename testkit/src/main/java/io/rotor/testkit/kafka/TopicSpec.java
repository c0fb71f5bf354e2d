package io.rotor.testkit.kafka;

import java.util.Map;
import java.util.Objects;

/**
 * A topic to create: name, number of partitions, and topic-level configs (such as {@code cleanup.policy}).
 * The replication factor is always the broker's default, 1, since every test broker has a single node.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    static final String CLEANUP_POLICY = "cleanup.policy";

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name is blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least one partition, got " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    /** A topic with the broker's default cleanup policy (delete). */
    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of());
    }

    /** A log-compacted topic: the broker keeps the latest record per key. */
    public static TopicSpec compacted(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of(CLEANUP_POLICY, "compact"));
    }

    public boolean isCompacted() {
        return configs.getOrDefault(CLEANUP_POLICY, "delete").contains("compact");
    }
}
