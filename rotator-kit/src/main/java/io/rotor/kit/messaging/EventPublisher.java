package io.rotor.kit.messaging;

import io.rotor.contracts.event.RotorEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Publishes events on their topics. A returned stage completes only once Kafka acknowledged the record, which is what
 * lets a consumer commit its input afterwards and never before (rule 1: nothing is lost).
 */
public interface EventPublisher {

    CompletionStage<Void> publish(RotorEvent event);

    /** Publishes in order, each after the previous one was acknowledged. */
    CompletionStage<Void> publishAll(List<? extends RotorEvent> events);

    /** Puts a refused record on {@code rotor.dlq} as it arrived, with the reason in headers. */
    CompletionStage<Void> deadLetter(InboundRecord record, String reason, String detail);
}
