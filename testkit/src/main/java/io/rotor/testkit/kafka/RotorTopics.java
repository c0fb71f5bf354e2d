package io.rotor.testkit.kafka;

import java.util.List;

/**
 * Rotor's topics as DESIGN.md lists them, with the partition counts tests use.
 *
 * <p>The names are repeated here rather than taken from {@code contracts} on purpose for now: the contracts module
 * does not define them yet. When it does, this class should read them from there so there is one definition.
 */
public final class RotorTopics {

    public static final String REQUESTS = "rotor.requests";
    public static final String COMMANDS_REDIS = "rotor.commands.redis";
    public static final String COMMANDS_OPENSTACK = "rotor.commands.openstack";
    public static final String COMMANDS_CONFIGUI = "rotor.commands.configui";
    public static final String EVENTS = "rotor.events";
    public static final String STATE = "rotor.state";
    public static final String DLQ = "rotor.dlq";

    /**
     * More than one partition so that tests exercise per-key ordering across partitions (records for one credential
     * must land together, different credentials may not), yet few enough that consumer group assignment stays quick.
     */
    public static final int PARTITIONS = 3;

    private static final List<TopicSpec> ALL = List.of(
            TopicSpec.of(REQUESTS, PARTITIONS),
            TopicSpec.of(COMMANDS_REDIS, PARTITIONS),
            TopicSpec.of(COMMANDS_OPENSTACK, PARTITIONS),
            TopicSpec.of(COMMANDS_CONFIGUI, PARTITIONS),
            TopicSpec.of(EVENTS, PARTITIONS),
            // Compacted: the orchestrator rebuilds saga state from the latest record per credential on start-up.
            TopicSpec.compacted(STATE, PARTITIONS),
            TopicSpec.of(DLQ, PARTITIONS));

    private RotorTopics() {
    }

    /** Every Rotor topic, in the order DESIGN.md lists them. */
    public static List<TopicSpec> all() {
        return ALL;
    }
}
