package io.rotor.testkit.kafka;

import java.util.Arrays;
import java.util.Locale;

/** Which broker tests get; chosen with the system property {@value #PROPERTY}. */
public enum BrokerMode {

    /** A Kafka container when a Docker engine is reachable, else the embedded broker. The default. */
    AUTO,
    /** Always the in-JVM broker; Testcontainers is never touched, so no Docker probe either. */
    EMBEDDED,
    /** Always a Kafka container; fails fast when no Docker engine is reachable. */
    TESTCONTAINERS;

    /** {@code -Dkafka.broker=embedded|testcontainers|auto}. */
    public static final String PROPERTY = "kafka.broker";

    /** The mode the {@value #PROPERTY} system property asks for; {@link #AUTO} when it is not set. */
    public static BrokerMode fromSystemProperties() {
        return parse(System.getProperty(PROPERTY));
    }

    static BrokerMode parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + " is not one of "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT), e);
        }
    }
}
