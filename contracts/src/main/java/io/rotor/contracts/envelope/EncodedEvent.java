package io.rotor.contracts.envelope;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event ready for Kafka: topic, key (the credential ref), {@code ce_*} headers in order, and JSON data. Carries no
 * plain secret by construction: the codec refuses to write one.
 */
public record EncodedEvent(String topic, String key, Map<String, String> headers, byte[] data) {

    public EncodedEvent {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public int size() {
        return CloudEventCodec.sizeOf(key, headers, data);
    }

    @Override
    public String toString() {
        return "EncodedEvent[topic=" + topic + ", key=" + key + ", type=" + headers.get(CloudEventHeaders.TYPE)
                + ", id=" + headers.get(CloudEventHeaders.ID) + ", bytes=" + data.length + "]";
    }
}
