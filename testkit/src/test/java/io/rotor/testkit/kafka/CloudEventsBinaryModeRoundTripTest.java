package io.rotor.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.testkit.kafka.RotationRequestsLoop.ReceivedRecord;

/**
 * A Quarkus application on {@link KafkaTestResource} round-trips Rotor's record format: CloudEvents 1.0 in Kafka
 * binary mode. The headers are built by hand here on purpose (the codec lives in {@code contracts}); what is tested
 * is that the broker and SmallRye, with {@code cloud-events=false}, carry key, headers and data through untouched.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class CloudEventsBinaryModeRoundTripTest {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    RotationRequestsLoop loop;

    @KafkaBootstrapServers
    String bootstrapServers;

    @Test
    void pointsTheApplicationAtTheTestBroker() {
        assertThat(bootstrapServers).isNotBlank();
        assertThat(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class))
                .isEqualTo(bootstrapServers);
    }

    @Test
    void deliversKeyEveryCloudEventHeaderAndTheJsonDataUnchanged() throws Exception {
        String subject = "team-a/redis-admin";
        Map<String, String> headers = rotationRequestedHeaders(subject, UUID.randomUUID().toString());
        byte[] data = ("{\"credential\":\"" + subject + "\",\"reason\":\"scheduled\",\"dryRun\":false,"
                + "\"note\":\"caf\u00e9 \u2713\"}").getBytes(StandardCharsets.UTF_8);

        loop.send(subject, kafkaHeaders(headers), data).toCompletableFuture().get(30, TimeUnit.SECONDS);

        ReceivedRecord received = awaitRecords(headers.get("ce_id"), 1).get(0);
        assertThat(received.key()).isEqualTo(subject);
        // Exactly the headers sent, each once: SmallRye added, dropped or rewrote none of them.
        Map<String, List<String>> expected = new LinkedHashMap<>();
        headers.forEach((name, value) -> expected.put(name, List.of(value)));
        assertThat(received.headers()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(received.value()).isEqualTo(data);
    }

    @Test
    void keepsTheRecordsOfOneCredentialInOrderOnOnePartition() throws Exception {
        String subject = "team-b/keystone-svc";
        String rotationId = UUID.randomUUID().toString();
        for (int attempt = 1; attempt <= 3; attempt++) {
            Map<String, String> headers = rotationRequestedHeaders(subject, rotationId);
            headers.put("ce_id", rotationId + "-" + attempt);
            loop.send(subject, kafkaHeaders(headers), ("{\"attempt\":" + attempt + "}").getBytes(StandardCharsets.UTF_8))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        }

        List<ReceivedRecord> received = awaitRecordsOfRotation(rotationId, 3);

        assertThat(received).extracting(record -> record.header("ce_id").orElseThrow())
                .containsExactly(rotationId + "-1", rotationId + "-2", rotationId + "-3");
        assertThat(received).extracting(ReceivedRecord::partition).containsOnly(received.get(0).partition());
    }

    /** Rotor's CloudEvents binary-mode headers for a rotation request, as the contracts codec is meant to write them. */
    private static Map<String, String> rotationRequestedHeaders(String subject, String rotationId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", UUID.randomUUID().toString());
        headers.put("ce_source", "/rotor/testkit");
        headers.put("ce_type", "io.rotor.rotation.requested.v1");
        headers.put("ce_subject", subject);
        headers.put("ce_time", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        headers.put("content-type", "application/json");
        headers.put("ce_rotorrotationid", rotationId);
        return headers;
    }

    private static Headers kafkaHeaders(Map<String, String> headers) {
        RecordHeaders kafkaHeaders = new RecordHeaders();
        headers.forEach((name, value) -> kafkaHeaders.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return kafkaHeaders;
    }

    private List<ReceivedRecord> awaitRecords(String ceId, int count) {
        return await().atMost(DELIVERY_TIMEOUT)
                .until(() -> loop.receivedWithHeader("ce_id", ceId), records -> records.size() >= count);
    }

    private List<ReceivedRecord> awaitRecordsOfRotation(String rotationId, int count) {
        return await().atMost(DELIVERY_TIMEOUT)
                .until(() -> loop.receivedWithHeader("ce_rotorrotationid", rotationId),
                        records -> records.size() >= count);
    }
}
