package io.rotor.system;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads every record of the given topics from the beginning: keys, header values and bodies, as text. */
final class TopicScan {

    private TopicScan() {
    }

    /** {@code client}: the connection settings of a reader allowed to read every topic (the stack's super user). */
    static List<String> everything(Map<String, Object> client, List<String> topics) {
        Map<String, Object> p = new HashMap<>(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-scan-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> texts = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            int emptyPolls = 0;
            // Until a few polls in a row bring nothing after the assignment settled.
            while (emptyPolls < 6) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty() && !consumer.assignment().isEmpty()) {
                    emptyPolls++;
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    emptyPolls = 0;
                    StringBuilder b = new StringBuilder(r.topic()).append(' ');
                    if (r.key() != null) {
                        b.append(new String(r.key(), StandardCharsets.UTF_8)).append(' ');
                    }
                    r.headers().forEach(h -> b.append(h.key()).append('=')
                            .append(new String(h.value(), StandardCharsets.UTF_8)).append(' '));
                    if (r.value() != null) {
                        b.append(new String(r.value(), StandardCharsets.UTF_8));
                    }
                    texts.add(b.toString());
                }
            }
        }
        return texts;
    }
}
