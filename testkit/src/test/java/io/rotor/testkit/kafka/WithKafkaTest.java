package io.rotor.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What a plain JUnit test gets from {@code @WithKafka}: a working broker with Rotor's topics. */
@WithKafka
class WithKafkaTest {

    @KafkaBootstrapServers
    String bootstrapServers;

    @Test
    void createsEveryRotorTopicWithItsPartitionCount() throws Exception {
        try (Admin admin = admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(
                    RotorTopics.all().stream().map(TopicSpec::name).toList()).allTopicNames().get(30, TimeUnit.SECONDS);

            assertThat(topics).containsOnlyKeys("rotor.requests", "rotor.commands.redis", "rotor.commands.openstack",
                    "rotor.commands.configui", "rotor.events", "rotor.steps.redis", "rotor.steps.openstack",
                    "rotor.steps.configui", "rotor.steps.secret-writer", "rotor.steps.pod-restarter", "rotor.state",
                    "rotor.dlq");
            assertThat(topics.values()).allSatisfy(topic ->
                    assertThat(topic.partitions()).as(topic.name()).hasSize(RotorTopics.PARTITIONS));
        }
    }

    @Test
    void compactsRotorStateButNotTheEventLog() throws Exception {
        ConfigResource state = new ConfigResource(ConfigResource.Type.TOPIC, RotorTopics.STATE);
        ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, RotorTopics.EVENTS);
        try (Admin admin = admin()) {
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(state, events)).all()
                    .get(30, TimeUnit.SECONDS);

            assertThat(configs.get(state).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(events).get("cleanup.policy").value()).isEqualTo("delete");
        }
    }

    @Test
    void deliversProducedRecordsToANewConsumerGroupWithKeysHeadersAndPerKeyOrder() throws Exception {
        String run = UUID.randomUUID().toString();
        List<ProducerRecord<String, String>> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (String credential : List.of("team-a/redis-admin", "team-b/keystone-svc")) {
                ProducerRecord<String, String> record = new ProducerRecord<>(RotorTopics.EVENTS, credential,
                        "{\"run\":\"" + run + "\",\"seq\":" + i + "}");
                record.headers().add("ce_type", "io.rotor.step.completed.v1".getBytes(StandardCharsets.UTF_8));
                sent.add(record);
            }
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (ProducerRecord<String, String> record : sent) {
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        }

        List<ConsumerRecord<String, String>> received = consumeRun(run, sent.size());

        assertThat(received).extracting(ConsumerRecord::key)
                .containsOnly("team-a/redis-admin", "team-b/keystone-svc");
        assertThat(received).allSatisfy(record -> assertThat(headerValue(record.headers().lastHeader("ce_type")))
                .isEqualTo("io.rotor.step.completed.v1"));
        Map<String, List<String>> valuesByKey = received.stream().collect(Collectors.groupingBy(
                ConsumerRecord::key, Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
        assertThat(valuesByKey.get("team-a/redis-admin")).containsExactly(
                "{\"run\":\"" + run + "\",\"seq\":0}", "{\"run\":\"" + run + "\",\"seq\":1}",
                "{\"run\":\"" + run + "\",\"seq\":2}");
        // Keying by credential is what keeps one credential's events together, on one partition.
        assertThat(received.stream().filter(record -> record.key().equals("team-a/redis-admin"))
                .map(ConsumerRecord::partition).distinct()).hasSize(1);
    }

    @Test
    void injectsTheSameBrokerIntoFieldsAndParameters(@KafkaBootstrapServers String servers, KafkaBroker broker) {
        assertThat(servers).isEqualTo(bootstrapServers).isEqualTo(broker.bootstrapServers());
    }

    @Test
    void startsTheBrokerKindTheKafkaBrokerPropertyAsksFor(KafkaBroker broker) {
        BrokerMode mode = BrokerMode.fromSystemProperties();
        assumeTrue(mode != BrokerMode.AUTO, "-Dkafka.broker is unset: either kind is right");

        assertThat(broker).isInstanceOf(mode == BrokerMode.EMBEDDED
                ? EmbeddedKafkaBroker.class
                : TestcontainersKafkaBroker.class);
    }

    private List<ConsumerRecord<String, String>> consumeRun(String run, int expected) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "testkit-" + run,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(RotorTopics.EVENTS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // The broker is shared by the test run, so other tests' records may be on the topic too: keep ours.
            while (received.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.value().contains(run)) {
                        received.add(record);
                    }
                });
            }
        }
        assertThat(received).as("records of run %s", run).hasSize(expected);
        return received;
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private static String headerValue(Header header) {
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
