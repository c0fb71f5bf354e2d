package io.rotor.contracts.credential;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The platforms Rotor rotates credentials on. Each belongs to one rotator service, which reads its commands from
 * {@code rotor.commands.<rotator>}.
 */
public enum Platform {
    @JsonProperty("redis-enterprise")
    REDIS_ENTERPRISE("redis-enterprise", "redis", Duration.ofMinutes(5),
            Set.of(Strategy.DUAL_PASSWORD, Strategy.NEW_IDENTITY)),
    @JsonProperty("redis-acl")
    REDIS_ACL("redis-acl", "redis", Duration.ofSeconds(30), Set.of(Strategy.DUAL_PASSWORD)),
    @JsonProperty("openstack-keystone")
    OPENSTACK_KEYSTONE("openstack-keystone", "openstack", Duration.ofMinutes(1),
            Set.of(Strategy.REPLACE, Strategy.NEW_IDENTITY)),
    @JsonProperty("configui")
    CONFIGUI("configui", "configui", Duration.ZERO, Set.of(Strategy.MANUAL, Strategy.REPLACE));

    private final String value;
    private final String rotator;
    private final Duration defaultPropagationDelay;
    private final Set<Strategy> strategies;

    Platform(String value, String rotator, Duration defaultPropagationDelay, Set<Strategy> strategies) {
        this.value = value;
        this.rotator = rotator;
        this.defaultPropagationDelay = defaultPropagationDelay;
        this.strategies = strategies;
    }

    /** The name used in the ManagedCredential spec and in events. */
    public String value() {
        return value;
    }

    /** The rotator service that owns this platform; its commands topic is {@code rotor.commands.<rotator>}. */
    public String rotator() {
        return rotator;
    }

    /**
     * How long to wait after workloads restarted before the old value is retired. REC's documentation asks for five
     * minutes after a Secret update; users report lockouts when the old password goes sooner.
     */
    public Duration defaultPropagationDelay() {
        return defaultPropagationDelay;
    }

    public Set<Strategy> strategies() {
        return strategies;
    }

    public boolean supports(Strategy strategy) {
        return strategies.contains(strategy);
    }

    public static Optional<Platform> fromValue(String value) {
        return Arrays.stream(values()).filter(p -> p.value.equals(value)).findFirst();
    }
}
