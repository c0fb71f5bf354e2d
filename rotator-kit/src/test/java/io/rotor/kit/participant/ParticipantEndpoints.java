package io.rotor.kit.participant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** The two endpoints a rotator declares, as the kit's own test app declares them. */
@ApplicationScoped
public class ParticipantEndpoints {

    @Inject
    ParticipantRuntime participant;

    @Incoming("participant-commands")
    public CompletionStage<Void> command(Message<byte[]> message) {
        return participant.consumeCommand(message);
    }

    @Incoming("participant-events")
    public CompletionStage<Void> event(Message<byte[]> message) {
        return participant.consumeEvent(message);
    }
}
