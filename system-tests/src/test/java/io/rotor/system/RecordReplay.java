package io.rotor.system;

import io.rotor.contracts.envelope.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What an adversary with a copy of the log can do: take records as they were written and write them again. */
final class RecordReplay {

    private final String bootstrap;

    RecordReplay(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Every record of {@code topics} from the beginning, as written (key, headers, value). */
    List<ConsumerRecord<byte[], byte[]>> read(List<String> topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-adversary-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            int emptyPolls = 0;
            while (emptyPolls < 6) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty() && !consumer.assignment().isEmpty()) {
                    emptyPolls++;
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    emptyPolls = 0;
                    all.add(r);
                }
            }
        }
        return all;
    }

    /** Writes each record again, byte for byte, to the topic it came from. */
    void replay(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                producer.send(new ProducerRecord<>(r.topic(), null, r.key(), r.value(), r.headers())).get();
            }
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String text(ConsumerRecord<byte[], byte[]> r) {
        return r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
    }

    /** "reason from topic by service" of each DLQ record whose body mentions {@code text}. */
    List<String> refusals(String text) {
        return read(List.of(io.rotor.contracts.event.Topics.DLQ)).stream().filter(r -> text(r).contains(text))
                .map(r -> header(r, CloudEventHeaders.DLQ_REASON) + " from " + header(r, CloudEventHeaders.DLQ_TOPIC)
                        + " by " + header(r, CloudEventHeaders.DLQ_SERVICE))
                .toList();
    }
}
