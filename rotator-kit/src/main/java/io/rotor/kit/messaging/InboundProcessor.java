package io.rotor.kit.messaging;

import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.envelope.RejectedRecord;
import io.rotor.kit.KitConfig;
import io.rotor.kit.logging.LogContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The one way Rotor consumes a record: decode it; refuse it to {@code rotor.dlq} if it is bad (and move on); otherwise
 * let the handler decide, publish what it answers, and only then acknowledge, so the offset is committed after the
 * output is durable.
 *
 * <p>No record can stop the line: anything the record makes go wrong — it does not decode, the handler refuses it or
 * fails on it — puts it on the DLQ once, naming this service, and the consumer moves on. Only Kafka not acknowledging
 * this service's own writes (the answer or the DLQ copy) leaves the record unacknowledged: the channel's failure
 * strategy stops the consumer, health reports it, and the record is read again after a restart.
 */
@ApplicationScoped
public class InboundProcessor {

    private static final Logger LOG = Logger.getLogger(InboundProcessor.class);

    /** DLQ reason of a record whose handling threw: a bug or a shape no rule foresaw. */
    public static final String HANDLER_FAILED = "HANDLER_FAILED";

    private final CloudEventCodec codec;
    private final EventPublisher publisher;
    private final Predicate<String> undecodableToDlq;
    private final InFlightRecords inFlight;

    /** Copies every undecodable record to the DLQ (for tests and single-consumer use). */
    public InboundProcessor(CloudEventCodec codec, EventPublisher publisher) {
        this(codec, publisher, topic -> true);
    }

    @Inject
    public InboundProcessor(CloudEventCodec codec, EventPublisher publisher, KitConfig config,
            InFlightRecords inFlight) {
        this(codec, publisher, topicPatterns(config.dlq().undecodableFrom()), inFlight);
    }

    /**
     * @param undecodableToDlq the topics whose undecodable records this service copies to the DLQ. Several services
     *                         read some topics, and decoding fails alike in each; one of them — the topic's primary
     *                         reader — makes the one DLQ copy, the others skip the record (and count it).
     */
    public InboundProcessor(CloudEventCodec codec, EventPublisher publisher, Predicate<String> undecodableToDlq) {
        this(codec, publisher, undecodableToDlq, new InFlightRecords());
    }

    public InboundProcessor(CloudEventCodec codec, EventPublisher publisher, Predicate<String> undecodableToDlq,
            InFlightRecords inFlight) {
        this.codec = codec;
        this.publisher = publisher;
        this.undecodableToDlq = undecodableToDlq;
        this.inFlight = inFlight;
    }

    /** Topic names, or prefixes ending in {@code *}. */
    public static Predicate<String> topicPatterns(List<String> patterns) {
        return topic -> patterns.stream().anyMatch(p -> p.endsWith("*")
                ? topic.startsWith(p.substring(0, p.length() - 1)) : p.equals(topic));
    }

    public CompletionStage<Void> process(Message<byte[]> message, EventHandler handler) {
        InboundRecord record;
        try {
            record = InboundRecord.of(message);
        } catch (RuntimeException e) {
            return message.nack(e);
        }
        return process(record, handler).handle((v, error) -> error)
                .thenCompose(error -> error == null ? message.ack() : message.nack(unwrap(error)));
    }

    /**
     * The same, without SmallRye: completes once the answer (or the DLQ copy) is acknowledged. Until then the record
     * counts as in progress ({@link InFlightRecords}; liveness watches how long).
     */
    public CompletionStage<Void> process(InboundRecord record, EventHandler handler) {
        Runnable done = inFlight.begin(record.position());
        CompletionStage<Void> stage;
        try {
            stage = handle(record, handler);
        } catch (RuntimeException e) {
            done.run();
            throw e;
        }
        return stage.whenComplete((v, error) -> done.run());
    }

    private CompletionStage<Void> handle(InboundRecord record, EventHandler handler) {
        DecodedEvent decoded;
        try {
            decoded = codec.decode(record.topic(), record.key(), record.headers(), record.value());
        } catch (RejectedRecord rejected) {
            return undecodable(record, rejected.reason().name(), rejected.getMessage());
        } catch (RuntimeException e) {
            // The codec promises RejectedRecord for every bad input; anything else is a bug it must not turn into a
            // stopped consumer.
            LOG.errorf(e, "decoding %s failed unexpectedly", record.position());
            return undecodable(record, HANDLER_FAILED, "the record could not be decoded ("
                    + e.getClass().getSimpleName() + ")");
        }
        CompletionStage<List<io.rotor.contracts.event.RotorEvent>> answer;
        try (var ctx = LogContext.of(decoded.event().credential(), decoded.event().rotationId())) {
            answer = handler.handle(decoded);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((events, error) -> {
            if (error == null) {
                return publisher.publishAll(events);
            }
            Throwable cause = unwrap(error);
            if (cause instanceof HandleLater) {
                // Kafka's trouble (a write not acknowledged, the outcomes not readable), not the record's.
                return CompletableFuture.<Void>failedFuture(cause);
            }
            if (cause instanceof RecordRefused refused) {
                return refuse(record, refused.reason().name(), refused.getMessage());
            }
            LOG.errorf(cause, "handling %s failed; it cannot be handled here", record.position());
            return refuse(record, HANDLER_FAILED, "handling failed: " + describe(cause));
        }).thenCompose(stage -> stage);
    }

    private CompletionStage<Void> undecodable(InboundRecord record, String reason, String detail) {
        if (undecodableToDlq.test(record.topic())) {
            return refuse(record, reason, detail);
        }
        LOG.warnf("skipped %s: %s (%s); its primary reader copies it to the DLQ", record.position(), reason, detail);
        return CompletableFuture.completedFuture(null);
    }

    private CompletionStage<Void> refuse(InboundRecord record, String reason, String detail) {
        LOG.warnf("refused %s: %s (%s); copied to the DLQ", record.position(), reason, detail);
        return publisher.deadLetter(record, reason, detail);
    }

    /** The exception's type and message; Rotor's own exceptions never carry values, others are named only. */
    private static String describe(Throwable cause) {
        boolean ours = cause.getClass().getName().startsWith("io.rotor.");
        return cause.getClass().getSimpleName() + (ours && cause.getMessage() != null ? ": " + cause.getMessage() : "");
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
