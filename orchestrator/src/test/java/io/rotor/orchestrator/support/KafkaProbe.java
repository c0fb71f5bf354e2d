package io.rotor.orchestrator.support;


import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.envelope.RejectedRecord;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sees every record on Rotor's topics (from the beginning, no group) and publishes as a participant would: the
 * tests' window on the event log. One per broker, shared by the test classes of a run.
 */
public final class KafkaProbe {

    private static final Map<String, KafkaProbe> PROBES = new ConcurrentHashMap<>();
    public static final List<String> TOPICS = List.of(Topics.REQUESTS, Topics.EVENTS, Topics.COMMANDS_REDIS,
            Topics.COMMANDS_OPENSTACK, Topics.COMMANDS_CONFIGUI, Topics.DLQ);

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final CloudEventCodec decoder = new CloudEventCodec("/test/probe");
    private final CloudEventCodec participant = new CloudEventCodec("/test/participant");
    private final KafkaProducer<String, byte[]> producer;

    private KafkaProbe(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Thread reader = new Thread(() -> read(bootstrap), "kafka-probe");
        reader.setDaemon(true);
        reader.start();
    }

    public static KafkaProbe on(String bootstrap) {
        return PROBES.computeIfAbsent(bootstrap, KafkaProbe::new);
    }

    private void read(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (String topic : TOPICS) {
                for (PartitionInfo info : consumer.partitionsFor(topic)) {
                    all.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    seen.add(toSeen(r));
                }
            }
        }
    }

    private Seen toSeen(ConsumerRecord<String, byte[]> r) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value());
        }
        RotorEvent event = null;
        if (!Topics.DLQ.equals(r.topic())) {
            try {
                event = decoder.decode(r.topic(), r.key(), headers, r.value()).event();
            } catch (RejectedRecord e) {
                // a bad record a test put there on purpose
            }
        }
        return new Seen(r.topic(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()), r.key(), headers,
                r.value(), event);
    }

    public List<Seen> all() {
        return List.copyOf(seen);
    }

    public <T extends RotorEvent> List<T> events(Class<T> type, CredentialRef credential) {
        return seen.stream().map(Seen::event).filter(type::isInstance).map(type::cast)
                .filter(e -> e.credential().equals(credential)).toList();
    }

    public List<Seen> records(Class<? extends RotorEvent> type, CredentialRef credential) {
        return seen.stream().filter(s -> type.isInstance(s.event()) && s.event().credential().equals(credential))
                .toList();
    }

    public <T extends RotorEvent> T await(Class<T> type, CredentialRef credential, Predicate<T> match) {
        List<T> found = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            events(type, credential).stream().filter(match).findFirst().ifPresent(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    public <T extends RotorEvent> T await(Class<T> type, CredentialRef credential) {
        return await(type, credential, e -> true);
    }

    /** Publishes as a participant (or a user on the requests topic) would, and waits for the acknowledgement. */
    public void publish(RotorEvent event) {
        EncodedEvent e = participant.encode(event);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(e.topic(), e.key(), e.data());
        e.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        send(record);
    }

    public void publishRaw(String topic, String key, Map<String, String> headers, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        send(record);
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + record.topic(), e);
        }
    }

    public CloudEventCodec codec() {
        return participant;
    }
}
