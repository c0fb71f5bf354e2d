package io.rotor.orchestrator.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.envelope.EventJson;
import io.rotor.contracts.event.Topics;
import io.rotor.kit.messaging.InboundRecord;
import io.rotor.kit.messaging.KafkaSettings;
import io.rotor.orchestrator.saga.SagaRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    /** Credentials whose unreadable state an operator has looked into and lets go of. */
    private final Set<CredentialRef> forget;

    public SagaStateStore(Map<String, Object> kafka, Duration timeout, Set<CredentialRef> forget) {
        this.kafka = Map.copyOf(kafka);
        this.timeout = timeout;
        this.forget = Set.copyOf(forget);
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
     * Reads one partition to its end. A record this orchestrator cannot read is not skipped as if its credential had
     * no saga (that would forget a rotation in flight) and does not stop the partition either (every other credential
     * would wait): unless a later record of the same credential supersedes it, the credential is set aside
     * ({@link UnreadableState}) and the rest is restored.
     */
    @Override
    public RestoredPartition restore(int partition) {
        Map<String, Object> props = KafkaSettings.consumer(kafka, null);
        Map<CredentialRef, SagaRecord> restored = new HashMap<>();
        Map<CredentialRef, UnreadableState> unreadable = new LinkedHashMap<>();
        List<UnreadableState> keyless = new ArrayList<>();
        long started = System.nanoTime();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.STATE, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
            while (consumer.position(tp, timeout) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    apply(r, partition, restored, unreadable, keyless);
                }
            }
        }
        unreadable.keySet().removeIf(ref -> {
            if (forget.contains(ref)) {
                LOG.warnf("forgetting the unreadable saga state of %s, as rotor.orchestrator.worker."
                        + "forget-unreadable-state says", ref);
                return true;
            }
            return false;
        });
        List<UnreadableState> all = new ArrayList<>(keyless);
        all.addAll(unreadable.values());
        LOG.infof("restored %d saga record(s) of partition %d in %d ms%s", restored.size(), partition,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                all.isEmpty() ? "" : "; " + all.size() + " record(s) could not be read");
        return new RestoredPartition(restored, all);
    }

    private void apply(ConsumerRecord<String, byte[]> r, int partition, Map<CredentialRef, SagaRecord> restored,
            Map<CredentialRef, UnreadableState> unreadable, List<UnreadableState> keyless) {
        CredentialRef ref;
        try {
            ref = CredentialRef.parse(r.key());
        } catch (RuntimeException notARef) {
            // The orchestrator keys every state by its credential: no credential can be waiting for this one.
            keyless.add(new UnreadableState(null, inbound(r), "its key is not a credential reference"));
            return;
        }
        // Whatever this record was, it supersedes what came before for its key (compaction keeps only the last).
        restored.remove(ref);
        unreadable.remove(ref);
        if (r.value() == null) {
            return;
        }
        String problem;
        try {
            SagaRecord record = reader.readValue(r.value(), SagaRecord.class);
            problem = problemOf(record, ref, partition);
            if (problem == null) {
                restored.put(ref, record);
                return;
            }
        } catch (IOException | RuntimeException e) {
            // The class only: a parser's message quotes the record, which is not the log's to repeat.
            problem = "not a saga record this orchestrator can read: " + e.getClass().getSimpleName();
        }
        unreadable.put(ref, new UnreadableState(ref, inbound(r), problem));
    }

    private static String problemOf(SagaRecord record, CredentialRef key, int partition) {
        if (record == null || record.credential() == null) {
            return "no saga record in it";
        }
        if (record.schema() > SagaRecord.SCHEMA) {
            return "saga schema " + record.schema() + "; this orchestrator reads up to " + SagaRecord.SCHEMA
                    + ": do not roll back past a version that wrote it";
        }
        if (!record.credential().equals(key)) {
            return "it is the state of " + record.credential() + ", not of its key";
        }
        if (record.partition() != partition) {
            return "it says partition " + record.partition() + " but lies in partition " + partition;
        }
        return null;
    }

    private static InboundRecord inbound(ConsumerRecord<String, byte[]> r) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        r.headers().forEach(h -> headers.put(h.key(), h.value()));
        return new InboundRecord(r.topic(), r.partition(), r.offset(), r.key(), headers, r.value());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
