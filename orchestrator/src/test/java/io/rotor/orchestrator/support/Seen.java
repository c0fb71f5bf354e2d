package io.rotor.orchestrator.support;

import io.rotor.contracts.event.RotorEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** A record a test saw on a topic, decoded when it is a valid Rotor event. */
public record Seen(String topic, int partition, long offset, Instant timestamp, String key,
        Map<String, byte[]> headers, byte[] value, RotorEvent event) {

    public String header(String name) {
        byte[] v = headers.get(name);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    public String text() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
