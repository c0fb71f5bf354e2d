package io.rotor.kit.messaging;

/**
 * Kafka did not answer this service in time: its own write was not acknowledged, or what it must read first could not
 * be read. This says nothing about the record being handled, so it must not be parked in the DLQ: the record stays
 * unacknowledged and is read again once Kafka answers.
 */
public abstract class KafkaUnavailable extends RuntimeException {

    protected KafkaUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
