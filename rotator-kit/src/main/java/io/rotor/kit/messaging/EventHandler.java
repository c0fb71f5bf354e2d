package io.rotor.kit.messaging;

import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.RotorEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The plain logic behind a consumer: given a valid event, the events to publish in answer (possibly none). */
@FunctionalInterface
public interface EventHandler {

    CompletionStage<List<RotorEvent>> handle(DecodedEvent event);
}
