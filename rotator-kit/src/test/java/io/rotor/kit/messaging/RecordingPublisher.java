package io.rotor.kit.messaging;

import io.rotor.contracts.event.RotorEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Keeps what would have been published; can be told to fail, as a broker that does not acknowledge. */
class RecordingPublisher implements EventPublisher {

    record DeadLetter(InboundRecord record, String reason, String detail) {
    }

    final List<RotorEvent> published = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    RuntimeException failWith;

    @Override
    public CompletionStage<Void> publish(RotorEvent event) {
        if (failWith != null) {
            return CompletableFuture.failedFuture(failWith);
        }
        published.add(event);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> publishAll(List<? extends RotorEvent> events) {
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (RotorEvent e : events) {
            chain = chain.thenCompose(v -> publish(e));
        }
        return chain;
    }

    @Override
    public CompletionStage<Void> deadLetter(InboundRecord record, String reason, String detail) {
        deadLetters.add(new DeadLetter(record, reason, detail));
        return CompletableFuture.completedFuture(null);
    }
}
