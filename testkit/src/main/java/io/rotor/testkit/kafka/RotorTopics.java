package io.rotor.testkit.kafka;

import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.event.Topics;
import java.util.ArrayList;
import java.util.List;

/** Rotor's topics (names from {@link Topics}) with the partition counts tests use. */
public final class RotorTopics {

    public static final String REQUESTS = Topics.REQUESTS;
    public static final String COMMANDS_REDIS = Topics.COMMANDS_REDIS;
    public static final String COMMANDS_OPENSTACK = Topics.COMMANDS_OPENSTACK;
    public static final String COMMANDS_CONFIGUI = Topics.COMMANDS_CONFIGUI;
    public static final String EVENTS = Topics.EVENTS;
    public static final String STATE = Topics.STATE;
    public static final String DLQ = Topics.DLQ;

    /**
     * More than one partition so that tests exercise per-key ordering across partitions (records for one credential
     * must land together, different credentials may not), yet few enough that consumer group assignment stays quick.
     */
    public static final int PARTITIONS = 3;

    private static final List<TopicSpec> ALL;

    static {
        List<TopicSpec> all = new ArrayList<>(List.of(
                TopicSpec.of(REQUESTS, PARTITIONS),
                TopicSpec.of(COMMANDS_REDIS, PARTITIONS),
                TopicSpec.of(COMMANDS_OPENSTACK, PARTITIONS),
                TopicSpec.of(COMMANDS_CONFIGUI, PARTITIONS),
                TopicSpec.of(EVENTS, PARTITIONS)));
        // One per step producer, co-partitioned with requests and events (the orchestrator owns a credential's saga
        // by partition number).
        StepProducer.topics().forEach(t -> all.add(TopicSpec.of(t, PARTITIONS)));
        // Compacted: the orchestrator rebuilds saga state from the latest record per credential on start-up.
        all.add(TopicSpec.compacted(STATE, PARTITIONS));
        all.add(TopicSpec.of(DLQ, PARTITIONS));
        ALL = List.copyOf(all);
    }

    private RotorTopics() {
    }

    /** Every Rotor topic, in the order DESIGN.md lists them. */
    public static List<TopicSpec> all() {
        return ALL;
    }
}
