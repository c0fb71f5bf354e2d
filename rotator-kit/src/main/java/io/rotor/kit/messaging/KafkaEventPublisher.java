package io.rotor.kit.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.CloudEventHeaders;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.Topics;
import io.rotor.kit.KitConfig;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends through one outgoing channel, {@code rotor-out}, choosing the topic per record. The channel's producer is
 * configured for {@code acks=all} and idempotence, so an acknowledged record is durable.
 */
@ApplicationScoped
public class KafkaEventPublisher implements EventPublisher {

    public static final String CHANNEL = "rotor-out";
    private static final int MAX_DLQ_DETAIL = 2048;

    private final MutinyEmitter<byte[]> emitter;
    private final CloudEventCodec codec;
    private final MeterRegistry meters;
    private final String service;

    @Inject
    public KafkaEventPublisher(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter, CloudEventCodec codec,
            MeterRegistry meters, KitConfig config) {
        this.emitter = emitter;
        this.codec = codec;
        this.meters = meters;
        this.service = config.serviceName();
    }

    @Override
    public CompletionStage<Void> publish(RotorEvent event) {
        EncodedEvent encoded = codec.encode(event);
        return send(encoded.topic(), encoded.key(), encoded.headers(), encoded.data());
    }

    @Override
    public CompletionStage<Void> publishAll(List<? extends RotorEvent> events) {
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (RotorEvent event : events) {
            chain = chain.thenCompose(v -> publish(event));
        }
        return chain;
    }

    @Override
    public CompletionStage<Void> deadLetter(InboundRecord record, String reason, String detail) {
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(headers::add);
        headers.add(CloudEventHeaders.DLQ_REASON, utf8(reason));
        headers.add(CloudEventHeaders.DLQ_DETAIL, utf8(detail.length() > MAX_DLQ_DETAIL
                ? detail.substring(0, MAX_DLQ_DETAIL) : detail));
        headers.add(CloudEventHeaders.DLQ_TOPIC, utf8(record.topic()));
        headers.add(CloudEventHeaders.DLQ_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(CloudEventHeaders.DLQ_OFFSET, utf8(Long.toString(record.offset())));
        headers.add(CloudEventHeaders.DLQ_SERVICE, utf8(service));
        return send(Topics.DLQ, record.key(), headers, record.value()).thenRun(() -> Counter
                .builder("rotor.dlq.records")
                .description("Records this service refused and put on rotor.dlq, by reason")
                .tag("service", service)
                .tag("reason", reason)
                .register(meters).increment());
    }

    private CompletionStage<Void> send(String topic, String key, Map<String, String> headers, byte[] data) {
        RecordHeaders kafkaHeaders = new RecordHeaders();
        headers.forEach((k, v) -> kafkaHeaders.add(k, utf8(v)));
        return send(topic, key, kafkaHeaders, data);
    }

    private CompletionStage<Void> send(String topic, String key, RecordHeaders headers, byte[] data) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic)
                .withKey(key)
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(Message.of(data).addMetadata(metadata)).subscribeAsCompletionStage()
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(new PublishFailed(topic, e)));
    }

    private static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }
}
