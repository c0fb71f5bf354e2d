package io.rotor.orchestrator.saga;

import io.rotor.contracts.event.RotorEvent;
import java.util.List;

/**
 * What handling one record comes to: events to publish (in order, each acknowledged before the next), then the new
 * saga state to persist (null: unchanged), then news for the ManagedCredential. Nothing of it takes effect until the
 * events are acknowledged, so a failed publish leaves the state as it was and the record is simply handled again.
 */
public record Decision(List<RotorEvent> publish, SagaRecord state, List<SagaNews> news) {

    public Decision {
        publish = List.copyOf(publish);
        news = List.copyOf(news);
    }

    public static Decision none() {
        return new Decision(List.of(), null, List.of());
    }

    public static Decision of(List<? extends RotorEvent> publish, SagaRecord state, List<SagaNews> news) {
        return new Decision(List.copyOf(publish), state, news);
    }

    public static Decision publishOnly(List<? extends RotorEvent> publish) {
        return new Decision(List.copyOf(publish), null, List.of());
    }
}
