package io.rotor.testkit.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * A minimal SmallRye Reactive Messaging application for {@link CloudEventsBinaryModeRoundTripTest}: sends raw bytes
 * with a key and headers of the caller's making to {@code rotor.requests}, and keeps what comes back from it.
 * Channels are mapped to the topic in {@code application.properties}, with SmallRye's CloudEvents support off.
 */
@ApplicationScoped
public class RotationRequestsLoop {

    /** One consumed record: key, every header (in order, repeats kept), and the value as received. */
    public record ReceivedRecord(String key, int partition, Map<String, List<String>> headers, byte[] value) {

        Optional<String> header(String name) {
            List<String> values = headers.getOrDefault(name, List.of());
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
        }
    }

    @Inject
    @Channel("requests-out")
    Emitter<byte[]> emitter;

    private final Queue<ReceivedRecord> received = new ConcurrentLinkedQueue<>();

    /** Sends one record; the stage completes when Kafka has acknowledged it. */
    public CompletionStage<Void> send(String key, Headers headers, byte[] value) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        emitter.send(Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build())
                .withAck(() -> {
                    acknowledged.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acknowledged.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        return acknowledged;
    }

    @Incoming("requests-in")
    CompletionStage<Void> receive(Message<byte[]> message) {
        IncomingKafkaRecordMetadata<?, ?> metadata = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
        received.add(new ReceivedRecord((String) metadata.getKey(), metadata.getPartition(),
                headersOf(metadata.getHeaders()), message.getPayload()));
        return message.ack();
    }

    /** Records received so far whose header {@code name} has {@code value}, in the order they arrived. */
    public List<ReceivedRecord> receivedWithHeader(String name, String value) {
        return received.stream().filter(record -> record.header(name).filter(value::equals).isPresent()).toList();
    }

    private static Map<String, List<String>> headersOf(Headers headers) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (Header header : headers) {
            byName.computeIfAbsent(header.key(), name -> new ArrayList<>())
                    .add(header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return byName;
    }
}
