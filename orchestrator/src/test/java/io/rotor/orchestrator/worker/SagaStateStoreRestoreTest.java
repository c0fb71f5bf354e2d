package io.rotor.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.envelope.EventJson;
import io.rotor.contracts.event.Topics;
import io.rotor.orchestrator.saga.PendingStart;
import io.rotor.orchestrator.saga.SagaRecord;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.WithKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Restoring a partition of {@code rotor.state} that holds records no orchestrator wrote (a real broker, the records
 * as an adversary with the orchestrator's credentials or a bad release would leave them): the readable states come
 * back, a credential whose latest record is unreadable is set aside rather than taken as having no saga, a later
 * readable record or a tombstone supersedes an unreadable one, and an operator's forget list lets one go.
 */
@WithKafka(isolated = true)
class SagaStateStoreRestoreTest {

    static final int PARTITION = 1;
    static final CredentialRef READABLE = CredentialRef.parse("shop/readable");
    static final CredentialRef NULL_JSON = CredentialRef.parse("shop/null-json");
    static final CredentialRef GARBAGE = CredentialRef.parse("shop/garbage");
    static final CredentialRef NEWER = CredentialRef.parse("shop/newer-schema");
    static final CredentialRef OTHERS = CredentialRef.parse("shop/others-state");
    static final CredentialRef HEALED = CredentialRef.parse("shop/healed");
    static final CredentialRef DELETED = CredentialRef.parse("shop/deleted");
    static final CredentialRef FORGOTTEN = CredentialRef.parse("shop/forgotten");

    @KafkaBootstrapServers
    String bootstrap;

    @Test
    void unreadableStatesSetTheirCredentialAsideAndEverythingElseIsRestored() throws Exception {
        Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
        try (SagaStateStore store = new SagaStateStore(kafka, Duration.ofSeconds(30), Set.of(FORGOTTEN));
                KafkaProducer<String, byte[]> adversary = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                        new StringSerializer(), new ByteArraySerializer())) {
            SagaRecord pending = SagaRecord.empty(READABLE, PARTITION)
                    .withPending(new PendingStart("r1", "q1", Instant.parse("2026-03-01T10:00:00Z")));
            store.write(pending);
            send(adversary, NULL_JSON.asString(), "null");
            send(adversary, GARBAGE.asString(), "{\"schema\":1,\"credential\":");
            send(adversary, NEWER.asString(), new String(json(SagaRecord.empty(NEWER, PARTITION)),
                    StandardCharsets.UTF_8).replace("\"schema\":1", "\"schema\":99"));
            send(adversary, OTHERS.asString(), new String(json(SagaRecord.empty(READABLE, PARTITION)),
                    StandardCharsets.UTF_8));
            send(adversary, HEALED.asString(), "[[[[");
            store.write(SagaRecord.empty(HEALED, PARTITION));
            send(adversary, DELETED.asString(), "nonsense");
            adversary.send(new ProducerRecord<>(Topics.STATE, PARTITION, DELETED.asString(), null))
                    .get(30, TimeUnit.SECONDS);
            send(adversary, FORGOTTEN.asString(), "{}");
            send(adversary, "not a credential ref", "{}");

            RestoredPartition restored = store.restore(PARTITION);

            assertThat(restored.sagas()).containsOnlyKeys(READABLE, HEALED);
            assertThat(restored.sagas().get(READABLE).pending().rotationId()).isEqualTo("r1");
            assertThat(restored.unreadable()).extracting(UnreadableState::credential)
                    .containsExactlyInAnyOrder(null, NULL_JSON, GARBAGE, NEWER, OTHERS);
            assertThat(restored.unreadable()).filteredOn(u -> NEWER.equals(u.credential())).singleElement()
                    .satisfies(u -> assertThat(u.reason()).contains("saga schema 99"));
            assertThat(restored.unreadable()).filteredOn(u -> OTHERS.equals(u.credential())).singleElement()
                    .satisfies(u -> assertThat(u.reason()).contains("state of shop/readable"));
            assertThat(restored.unreadable()).allSatisfy(u -> assertThat(u.reason()).doesNotContain("credential\":"));
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.STATE, PARTITION, key, value.getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
    }

    private static byte[] json(SagaRecord record) throws Exception {
        return EventJson.newMapper().writeValueAsBytes(record);
    }
}
