package io.rotor.contracts.event;

import io.rotor.contracts.credential.Platform;
import java.util.List;

/** Rotor's Kafka topics. Every record is keyed by the credential ref, which gives per-credential ordering. */
public final class Topics {

    public static final String REQUESTS = "rotor.requests";
    public static final String EVENTS = "rotor.events";
    /** Compacted: the orchestrator's saga state, one record per credential. */
    public static final String STATE = "rotor.state";
    public static final String DLQ = "rotor.dlq";
    public static final String COMMANDS_PREFIX = "rotor.commands.";
    public static final String COMMANDS_REDIS = COMMANDS_PREFIX + "redis";
    public static final String COMMANDS_OPENSTACK = COMMANDS_PREFIX + "openstack";
    public static final String COMMANDS_CONFIGUI = COMMANDS_PREFIX + "configui";

    public static final List<String> ALL = List.of(REQUESTS, COMMANDS_REDIS, COMMANDS_OPENSTACK, COMMANDS_CONFIGUI,
            EVENTS, STATE, DLQ);

    private Topics() {
    }

    public static String commandsFor(Platform platform) {
        return COMMANDS_PREFIX + platform.rotator();
    }
}
