package io.rotor.system;

import io.rotor.contracts.envelope.CloudEventHeaders;
import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.event.Topics;
import io.rotor.testkit.stack.KafkaMain;
import io.rotor.testkit.stack.RotorStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What an adversary who took over one of Rotor's services can do with Kafka: read a copy of the log and write what
 * that service's own Kafka credentials allow (the stack's broker enforces deploy's ACLs), byte for byte or altered.
 */
final class RecordReplay {

    /** The KafkaUser of deploy/ that may write each topic (the trust model: every topic has exactly one writer). */
    static final Map<StepProducer, String> STEP_WRITERS = Map.of(
            StepProducer.REDIS, "redis-rotator",
            StepProducer.OPENSTACK, "openstack-rotator",
            StepProducer.CONFIGUI, "configui-rotator",
            StepProducer.SECRET_WRITER, "secret-writer",
            StepProducer.POD_RESTARTER, "pod-restarter");

    private final RotorStack stack;

    RecordReplay(RotorStack stack) {
        this.stack = stack;
    }

    /** The service whose credentials may write {@code topic}: a step producer for its steps, else the orchestrator. */
    static String writerOf(String topic) {
        return STEP_WRITERS.entrySet().stream().filter(e -> e.getKey().topic().equals(topic)).map(Map.Entry::getValue)
                .findFirst().orElse("orchestrator");
    }

    /**
     * Every record of {@code topics} from the beginning, as written (key, headers, value); read with the stack's
     * super user: a copy of the log is what the adversary is assumed to have.
     */
    List<ConsumerRecord<byte[], byte[]>> read(List<String> topics) {
        Map<String, Object> p = new HashMap<>(stack.kafkaClientConfig(KafkaMain.SUPER_USER));
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

    /**
     * Writes each record again, byte for byte, to the topic it came from, with the credentials of the one service
     * allowed to write there: each record is what that service, taken over, could say.
     */
    void replay(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byWriter = new HashMap<>();
        records.forEach(r -> byWriter.computeIfAbsent(writerOf(r.topic()), w -> new ArrayList<>()).add(r));
        for (Map.Entry<String, List<ConsumerRecord<byte[], byte[]>>> writer : byWriter.entrySet()) {
            List<String> refused = replayAs(writer.getKey(), writer.getValue());
            if (!refused.isEmpty()) {
                throw new AssertionError(writer.getKey() + " was refused its own topics " + refused);
            }
        }
    }

    /**
     * Writes each record to its topic as the Kafka user {@code user}; returns the topics the broker refused that
     * user (TopicAuthorizationException), in the order tried. Any other failure is thrown.
     */
    List<String> replayAs(String user, List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        Map<String, Object> p = new HashMap<>(stack.kafkaClientConfig(user));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        List<String> refused = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                try {
                    producer.send(new ProducerRecord<>(r.topic(), null, r.key(), r.value(), r.headers()))
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicAuthorizationException)) {
                        throw e;
                    }
                    refused.add(r.topic());
                } catch (TopicAuthorizationException e) {
                    refused.add(r.topic());
                }
            }
        }
        return refused;
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String text(ConsumerRecord<byte[], byte[]> r) {
        return r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
    }

    /**
     * "reason from topic by service" of each DLQ record whose body mentions {@code text}, or whose rotation id or key
     * is {@code text}.
     */
    List<String> refusals(String text) {
        return read(List.of(Topics.DLQ)).stream()
                .filter(r -> text(r).contains(text) || text.equals(header(r, CloudEventHeaders.ROTATION_ID))
                        || r.key() != null && text.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .map(r -> header(r, CloudEventHeaders.DLQ_REASON) + " from " + header(r, CloudEventHeaders.DLQ_TOPIC)
                        + " by " + header(r, CloudEventHeaders.DLQ_SERVICE))
                .toList();
    }
}
