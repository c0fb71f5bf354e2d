package io.rotor.kit.messaging;

import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.envelope.RejectedRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The one way Rotor consumes a record: decode it; refuse it to {@code rotor.dlq} if it is bad (and move on); otherwise
 * let the handler decide, publish what it answers, and only then acknowledge, so the offset is committed after the
 * output is durable. A handler failure is not acknowledged: the channel's failure strategy stops the consumer and the
 * record is redelivered after a restart, instead of being dropped.
 */
@ApplicationScoped
public class InboundProcessor {

    private static final Logger LOG = Logger.getLogger(InboundProcessor.class);

    private final CloudEventCodec codec;
    private final EventPublisher publisher;

    @Inject
    public InboundProcessor(CloudEventCodec codec, EventPublisher publisher) {
        this.codec = codec;
        this.publisher = publisher;
    }

    public CompletionStage<Void> process(Message<byte[]> message, EventHandler handler) {
        return process(InboundRecord.of(message), handler).handle((v, error) -> error)
                .thenCompose(error -> error == null ? message.ack() : message.nack(unwrap(error)));
    }

    /** The same, without SmallRye: completes once the answer (or the DLQ copy) is acknowledged. */
    public CompletionStage<Void> process(InboundRecord record, EventHandler handler) {
        DecodedEvent decoded;
        try {
            decoded = codec.decode(record.topic(), record.key(), record.headers(), record.value());
        } catch (RejectedRecord rejected) {
            LOG.warnf("refused %s: %s (%s); copied to the DLQ", record.position(), rejected.reason(),
                    rejected.getMessage());
            return publisher.deadLetter(record, rejected.reason().name(), rejected.getMessage());
        }
        MDC.put("credential", decoded.event().credential().asString());
        if (decoded.event().rotationId() != null) {
            MDC.put("rotationId", decoded.event().rotationId());
        }
        try {
            return handler.handle(decoded).thenCompose(publisher::publishAll);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            MDC.remove("credential");
            MDC.remove("rotationId");
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
    }
}
