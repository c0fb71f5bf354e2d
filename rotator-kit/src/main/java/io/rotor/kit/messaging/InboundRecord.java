package io.rotor.kit.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;

/** A record as it came off Kafka, before anything was decided about it. */
public record InboundRecord(String topic, int partition, long offset, String key, Map<String, byte[]> headers,
        byte[] value) {

    @SuppressWarnings("unchecked")
    public static InboundRecord of(Message<byte[]> message) {
        IncomingKafkaRecordMetadata<Object, byte[]> meta = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalArgumentException("not a Kafka message"));
        Map<String, byte[]> headers = new LinkedHashMap<>();
        // Later headers win, as with Kafka's lastHeader(): a producer that repeats one means the last.
        for (Header header : meta.getHeaders()) {
            headers.put(header.key(), header.value());
        }
        Object key = meta.getKey();
        return new InboundRecord(meta.getTopic(), meta.getPartition(), meta.getOffset(),
                key == null ? null : key.toString(), headers, message.getPayload());
    }

    /** Where the record sits, for logs and DLQ headers. */
    public String position() {
        return topic + "-" + partition + "@" + offset;
    }

    @Override
    public String toString() {
        return "InboundRecord[" + position() + ", key=" + key + ", headers=" + headers.keySet() + ", bytes="
                + (value == null ? 0 : value.length) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InboundRecord r && r.topic.equals(topic) && r.partition == partition && r.offset == offset
                && Arrays.equals(r.value, value);
    }

    @Override
    public int hashCode() {
        return topic.hashCode() * 31 + Long.hashCode(offset);
    }
}
