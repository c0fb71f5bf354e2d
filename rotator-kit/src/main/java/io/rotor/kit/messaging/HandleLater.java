package io.rotor.kit.messaging;

/**
 * The record cannot be handled now for a reason outside it: Kafka did not acknowledge this service's own write, or what
 * the service must read first (the orchestrator's outcomes, the ManagedCredentials) could not be read yet. This says
 * nothing about the record, so it must not be parked in the DLQ: it stays unacknowledged and is handled again later.
 */
public abstract class HandleLater extends RuntimeException {

    protected HandleLater(String message, Throwable cause) {
        super(message, cause);
    }
}
