package io.rotor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.event.Topics;
import io.rotor.testkit.kafka.ScramKafkaBroker;
import io.rotor.testkit.kafka.StrimziKafkaUsers;
import io.rotor.testkit.kafka.TopicSpec;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The KafkaUsers' ACLs do on a real broker what the trust model says: a KRaft node in this JVM with SASL/SCRAM-SHA-512
 * and Kafka's {@code StandardAuthorizer} (what Strimzi's simple authorization is in KRaft), a SCRAM credential for every
 * KafkaUser of {@code users.yaml}, the ACLs Strimzi's User Operator would create from that same file, and the topics of
 * {@code topics.yaml}. Then each service's credentials produce to every topic, read every topic and commit offsets,
 * and the broker's answers are compared with the rules — not with the ACLs, which are what is under test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAclEnforcementTest {

    private static final String SUPER_USER = "bootstrap-admin";
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** What each service may write, from the trust model (see KafkaUsersTest): nothing else. */
    private static final Map<String, Set<String>> WRITES = writes();

    private ScramKafkaBroker broker;
    private KafkaUsers users;
    private List<TopicSpec> topics;
    private final Map<String, String> passwords = new TreeMap<>();

    @BeforeAll
    void startBrokerWithTheUsersOfUsersYaml() throws Exception {
        users = KafkaUsers.fromSource();
        topics = topicsOfTopicsYaml();
        broker = ScramKafkaBroker.start(SUPER_USER, StrimziKafkaUsers.randomPassword(new SecureRandom()));
        passwords.putAll(users.strimzi().randomPasswords(new SecureRandom()));
        // Credentials and ACLs as the User Operator makes them from users.yaml: the same code gives the system
        // tests' broker its users, so both enforce what deploy/ declares.
        users.strimzi().applyTo(broker, passwords);
        broker.createTopics(topics);
        // One record on every topic, so that a reader allowed to read gets something.
        Map<String, Object> config = broker.superUserConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            for (TopicSpec topic : topics) {
                producer.send(new ProducerRecord<>(topic.name(), 0, "set-up", new byte[] {0})).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void eachServiceWritesItsOwnTopicsAndIsRefusedEveryOtherTopic() throws Exception {
        Map<String, Set<String>> written = new TreeMap<>();
        Map<String, Set<String>> refused = new TreeMap<>();
        List<String> otherFailures = new ArrayList<>();
        for (String user : users.names()) {
            for (TopicSpec topic : topics) {
                Outcome outcome = produce(user, topic.name());
                switch (outcome.kind) {
                    case OK -> written.computeIfAbsent(user, u -> new TreeSet<>()).add(topic.name());
                    case REFUSED -> refused.computeIfAbsent(user, u -> new TreeSet<>()).add(topic.name());
                    case OTHER -> otherFailures.add(user + " -> " + topic.name() + ": " + outcome.error);
                }
            }
        }
        assertThat(otherFailures).as("sends that failed for another reason than authorization").isEmpty();
        assertThat(written).isEqualTo(new TreeMap<>(WRITES));
        for (String user : users.names()) {
            Set<String> others = topicNames();
            others.removeAll(WRITES.get(user));
            assertThat(refused.getOrDefault(user, Set.of())).as(user + " refused").isEqualTo(others);
        }
        // The brief's cases, spelt out.
        assertThat(refused.get("redis-rotator")).contains(Topics.EVENTS, StepProducer.OPENSTACK.topic(),
                Topics.COMMANDS_REDIS);
        assertThat(refused.get("pod-restarter")).contains(StepProducer.SECRET_WRITER.topic(), Topics.EVENTS);
        assertThat(refused.get("secret-writer")).contains(StepProducer.REDIS.topic(), Topics.EVENTS);
        assertThat(refused.get("configui-rotator")).contains(Topics.STATE, Topics.REQUESTS,
                StepProducer.POD_RESTARTER.topic());
    }

    @Test
    void eachServiceReadsExactlyTheTopicsItConsumes() throws Exception {
        Map<String, Set<String>> readable = new TreeMap<>();
        List<String> otherFailures = new ArrayList<>();
        for (String user : users.names()) {
            for (TopicSpec topic : topics) {
                // A plain assign/seek reader, as the participants follow rotor.events: no consumer group involved.
                // Every topic holds a record (see the set-up): a reader either gets it or is refused.
                try (KafkaConsumer<String, byte[]> consumer = consumer(user, null)) {
                    TopicPartition partition = new TopicPartition(topic.name(), 0);
                    consumer.assign(List.of(partition));
                    consumer.seekToBeginning(List.of(partition));
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    boolean read = false;
                    while (!read && System.nanoTime() < deadline) {
                        read = !consumer.poll(Duration.ofMillis(200)).isEmpty();
                    }
                    if (read) {
                        readable.computeIfAbsent(user, u -> new TreeSet<>()).add(topic.name());
                    } else {
                        otherFailures.add(user + " <- " + topic.name() + ": neither read nor refused within " + WAIT);
                    }
                } catch (TopicAuthorizationException e) {
                    // refused
                } catch (RuntimeException e) {
                    otherFailures.add(user + " <- " + topic.name() + ": " + e);
                }
            }
        }
        assertThat(otherFailures).isEmpty();
        assertThat(readable).isEqualTo(new TreeMap<>(KafkaUsersTest.READS));
    }

    @Test
    void eachServiceCommitsOffsetsOnlyInItsOwnConsumerGroups() throws Exception {
        List<String> problems = new ArrayList<>();
        for (String user : users.names()) {
            String topic = KafkaUsersTest.READS.get(user).iterator().next();
            String own = RenderedManifestsTest.CONSUMER_GROUP_PREFIXES.get(user).get(0) + "-acl-test";
            if (!commits(user, own, topic)) {
                problems.add(user + " could not commit in its own group " + own);
            }
            for (String other : users.names()) {
                String foreign = RenderedManifestsTest.CONSUMER_GROUP_PREFIXES.get(other).get(0);
                if (!other.equals(user) && commits(user, foreign, topic)) {
                    problems.add(user + " committed offsets in " + other + "'s group " + foreign);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    // --- the topics ---

    private static List<TopicSpec> topicsOfTopicsYaml() throws Exception {
        List<TopicSpec> out = new ArrayList<>();
        for (ObjectNode topic : RenderedManifestsTest.byKind(Kustomize.read(Kustomize.ROOT.resolve("base/kafka/topics.yaml")),
                "KafkaTopic")) {
            Map<String, String> configs = new LinkedHashMap<>();
            topic.path("spec").path("config").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
            out.add(new TopicSpec(topic.path("metadata").path("name").asText(), topic.path("spec").path("partitions").asInt(),
                    configs));
        }
        assertThat(out).extracting(TopicSpec::name).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        return out;
    }

    // --- clients ---

    private enum Kind { OK, REFUSED, OTHER }

    private record Outcome(Kind kind, Throwable error) {
    }

    /** One record, with the services' producer settings (acks=all, idempotent), from a fresh producer. */
    private Outcome produce(String user, String topic) {
        Map<String, Object> config = broker.clientConfig(user, passwords.get(user));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "acl-test/" + user, new byte[] {1})).get(30, TimeUnit.SECONDS);
            return new Outcome(Kind.OK, null);
        } catch (ExecutionException e) {
            return e.getCause() instanceof TopicAuthorizationException ? new Outcome(Kind.REFUSED, e.getCause())
                    : new Outcome(Kind.OTHER, e.getCause());
        } catch (TopicAuthorizationException e) {
            return new Outcome(Kind.REFUSED, e);
        } catch (Exception e) {
            return new Outcome(Kind.OTHER, e);
        }
    }

    private KafkaConsumer<String, byte[]> consumer(String user, String group) {
        Map<String, Object> config = broker.clientConfig(user, passwords.get(user));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Whether {@code user} may commit an offset of {@code topic} in consumer group {@code group}. */
    private boolean commits(String user, String group, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(user, group)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(0)), WAIT);
            return true;
        } catch (GroupAuthorizationException e) {
            return false;
        }
    }

    private Set<String> topicNames() {
        Set<String> names = new TreeSet<>();
        topics.forEach(t -> names.add(t.name()));
        return names;
    }

    private static Map<String, Set<String>> writes() {
        Map<String, Set<String>> writes = new TreeMap<>();
        writes.put("orchestrator", Set.of(Topics.REQUESTS, Topics.COMMANDS_REDIS, Topics.COMMANDS_OPENSTACK,
                Topics.COMMANDS_CONFIGUI, Topics.EVENTS, Topics.STATE, Topics.DLQ));
        KafkaUsersTest.STEP_PRODUCER_USER.forEach((producer, user) -> writes.put(user, Set.of(producer.topic(), Topics.DLQ)));
        return writes;
    }
}
