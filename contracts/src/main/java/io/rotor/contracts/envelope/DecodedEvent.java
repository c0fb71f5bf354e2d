package io.rotor.contracts.envelope;

import io.rotor.contracts.event.EventType;
import io.rotor.contracts.event.RotorEvent;
import java.time.Instant;

/** An event read from Kafka and found valid, with its CloudEvents attributes. */
public record DecodedEvent(String id, String source, Instant time, EventType type, RotorEvent event,
        String traceparent) {
}
