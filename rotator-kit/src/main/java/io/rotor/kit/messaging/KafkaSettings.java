package io.rotor.kit.messaging;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Rotor's own Kafka clients (the orchestrator's members, the participants' outcome followers) start from the same {@code kafka.*} settings SmallRye's channels use
 * (bootstrap servers, TLS, SASL) and add what their role needs.
 */
public final class KafkaSettings {

    private KafkaSettings() {
    }

    public static Map<String, Object> producer(Map<String, Object> kafka, String clientId) {
        Map<String, Object> props = base(kafka);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // An acknowledged state record must survive a broker failure: it is how a rotation in flight is resumed.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Every state write is awaited before the next record is read, so there is nothing to batch.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return props;
    }

    /** A consumer; with {@code groupId} null it has no group (assigned partitions, nothing committed). */
    public static Map<String, Object> consumer(Map<String, Object> kafka, String groupId) {
        Map<String, Object> props = base(kafka);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            // The same partition numbers of rotor.requests and rotor.events go to the same member: one replica owns
            // all records of a credential (the range assignor does this for co-partitioned topics; the classic
            // protocol is named because the new one's server-side assignors are configured elsewhere).
            props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        }
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        return props;
    }

    private static Map<String, Object> base(Map<String, Object> kafka) {
        Map<String, Object> props = new HashMap<>();
        kafka.forEach((k, v) -> {
            // Serializers and channel-level settings are chosen per client here.
            if (!k.contains("serializer") && !k.contains("deserializer")) {
                props.put(k, v);
            }
        });
        return props;
    }
}
