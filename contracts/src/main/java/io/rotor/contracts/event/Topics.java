package io.rotor.contracts.event;

import io.rotor.contracts.credential.Platform;
import java.util.ArrayList;
import java.util.List;

/**
 * Rotor's Kafka topics. Every record is keyed by the credential ref, which gives per-credential ordering, and every
 * topic a credential's saga reads has the same number of partitions, so one partition number holds all of it.
 *
 * <p>Each topic has exactly one writer (enforced by the brokers' ACLs in {@code deploy/}): the orchestrator writes
 * commands and {@code rotor.events}; each participant writes only its own {@code rotor.steps.<producer>}. A consumer
 * therefore knows who said something from where it read it, see {@link StepProducer}.
 */
public final class Topics {

    public static final String REQUESTS = "rotor.requests";
    /** The orchestrator's outcomes (and its rollback requests): the audit trail dashboards follow. */
    public static final String EVENTS = "rotor.events";
    /** Compacted: the orchestrator's saga state, one record per credential. */
    public static final String STATE = "rotor.state";
    public static final String DLQ = "rotor.dlq";
    public static final String COMMANDS_PREFIX = "rotor.commands.";
    public static final String COMMANDS_REDIS = COMMANDS_PREFIX + "redis";
    public static final String COMMANDS_OPENSTACK = COMMANDS_PREFIX + "openstack";
    public static final String COMMANDS_CONFIGUI = COMMANDS_PREFIX + "configui";
    public static final String STEPS_PREFIX = "rotor.steps.";

    /** Every topic, steps included. */
    public static final List<String> ALL;

    /** The topics the orchestrator owns a credential's saga through: same partition count, same partition. */
    public static final List<String> SAGA;

    static {
        List<String> saga = new ArrayList<>(List.of(REQUESTS, EVENTS));
        saga.addAll(StepProducer.topics());
        SAGA = List.copyOf(saga);
        List<String> all = new ArrayList<>(List.of(REQUESTS, COMMANDS_REDIS, COMMANDS_OPENSTACK, COMMANDS_CONFIGUI,
                EVENTS));
        all.addAll(StepProducer.topics());
        all.addAll(List.of(STATE, DLQ));
        ALL = List.copyOf(all);
    }

    private Topics() {
    }

    public static String commandsFor(Platform platform) {
        return COMMANDS_PREFIX + platform.rotator();
    }

    public static boolean isSteps(String topic) {
        return topic != null && topic.startsWith(STEPS_PREFIX);
    }
}
