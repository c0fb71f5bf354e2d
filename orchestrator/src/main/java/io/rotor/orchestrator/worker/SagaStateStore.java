package io.rotor.orchestrator.worker;

import io.rotor.kit.messaging.KafkaSettings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.envelope.EventJson;
import io.rotor.contracts.event.Topics;
import io.rotor.orchestrator.saga.SagaRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Saga state in the compacted {@code rotor.state} topic: one record per credential (key: the credential ref, value:
 * {@link SagaRecord} as JSON), written to the credential's own partition and acknowledged by all in-sync replicas
 * before the input that caused it is committed. Restoring a partition reads it from the beginning; compaction keeps
 * that short.
 */
public final class SagaStateStore implements SagaStates {

    private static final Logger LOG = Logger.getLogger(SagaStateStore.class);

    private final Map<String, Object> kafka;
    private final KafkaProducer<String, byte[]> producer;
    private final ObjectMapper writer = EventJson.newMapper();
    /** A newer orchestrator may add fields; an older one must still read the rest (schema number guards meaning). */
    private final ObjectMapper reader = EventJson.newMapper().copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Duration timeout;

    public SagaStateStore(Map<String, Object> kafka, Duration timeout) {
        this.kafka = Map.copyOf(kafka);
        this.timeout = timeout;
        Map<String, Object> props = KafkaSettings.producer(kafka, "rotor-orchestrator-state");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void write(SagaRecord record) throws InterruptedException, ExecutionException, TimeoutException {
        byte[] value;
        try {
            value = writer.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("saga state of " + record.credential() + " cannot be written: "
                    + e.getOriginalMessage());
        }
        producer.send(new ProducerRecord<>(Topics.STATE, record.partition(), record.credential().asString(), value))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads one partition to its end. A record this orchestrator cannot read stops the restore: skipping it would
     * forget a rotation in flight, which is worse than not taking the partition.
     */
    @Override
    public Map<CredentialRef, SagaRecord> restore(int partition) {
        Map<String, Object> props = KafkaSettings.consumer(kafka, null);
        Map<CredentialRef, SagaRecord> restored = new HashMap<>();
        long started = System.nanoTime();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.STATE, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
            while (consumer.position(tp, timeout) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    apply(r, restored);
                }
            }
        }
        LOG.infof("restored %d saga record(s) of partition %d in %d ms", restored.size(), partition,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return restored;
    }

    private void apply(ConsumerRecord<String, byte[]> r, Map<CredentialRef, SagaRecord> restored) {
        CredentialRef ref = CredentialRef.parse(r.key());
        if (r.value() == null) {
            restored.remove(ref);
            return;
        }
        SagaRecord record;
        try {
            record = reader.readValue(r.value(), SagaRecord.class);
        } catch (IOException e) {
            throw new IllegalStateException("rotor.state-" + r.partition() + "@" + r.offset() + " (" + ref
                    + ") is not a saga record this orchestrator can read", e);
        }
        if (record.schema() > SagaRecord.SCHEMA) {
            throw new IllegalStateException("rotor.state-" + r.partition() + "@" + r.offset() + " (" + ref
                    + ") has saga schema " + record.schema() + "; this orchestrator reads up to " + SagaRecord.SCHEMA
                    + ": do not roll back past a version that wrote it");
        }
        restored.put(ref, record);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
