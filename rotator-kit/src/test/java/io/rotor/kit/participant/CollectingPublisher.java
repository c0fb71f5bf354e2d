package io.rotor.kit.participant;

import io.rotor.contracts.event.RotorEvent;
import io.rotor.kit.messaging.EventPublisher;
import io.rotor.kit.messaging.InboundRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the runtime published on its own (retriable failures); thread-safe. */
final class CollectingPublisher implements EventPublisher {

    final List<RotorEvent> published = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Void> publish(RotorEvent event) {
        published.add(event);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> publishAll(List<? extends RotorEvent> events) {
        published.addAll(events);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> deadLetter(InboundRecord record, String reason, String detail) {
        return CompletableFuture.completedFuture(null);
    }
}
