package io.rotor.kit.messaging;

/** Kafka did not acknowledge a record this service wrote. */
public class PublishFailed extends HandleLater {

    public PublishFailed(String topic, Throwable cause) {
        super("publishing to " + topic + " failed: " + cause, cause);
    }
}
