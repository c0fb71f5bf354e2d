package io.rotor.testkit.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Broker settings every test broker gets, embedded or in a container, so the two behave alike.
 *
 * <p>Kafka's defaults assume a production cluster of three or more brokers. On one node the internal topics
 * (consumer offsets, transaction state, share-group state) could never be created with replication factor 3, and a
 * consumer then waits forever for its group coordinator; so every replication factor and min ISR here is 1.
 */
final class SingleNodeBrokerSettings {

    private static final Map<String, String> SETTINGS = Map.ofEntries(
            Map.entry("offsets.topic.replication.factor", "1"),
            // One offsets partition: 50 (the default) costs seconds at the first consumer group join.
            Map.entry("offsets.topic.num.partitions", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("share.coordinator.state.topic.num.partitions", "1"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            // The default 3 s delay makes every test's first consumer wait before it gets partitions.
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            // Production creates topics up front (Strimzi KafkaTopic resources); a test that forgets to should fail,
            // not pass against a topic the broker invented with one partition.
            Map.entry("auto.create.topics.enable", "false"));

    private SingleNodeBrokerSettings() {
    }

    /** As broker properties ({@code offsets.topic.replication.factor=1}). */
    static Map<String, String> asBrokerProperties() {
        return SETTINGS;
    }

    /**
     * As environment variables for the {@code apache/kafka} image, which turns {@code KAFKA_FOO_BAR} into
     * {@code foo.bar}.
     */
    static Map<String, String> asContainerEnvironment() {
        Map<String, String> env = new TreeMap<>();
        SETTINGS.forEach((key, value) -> env.put("KAFKA_" + key.replace('.', '_').toUpperCase(Locale.ROOT), value));
        return env;
    }
}
