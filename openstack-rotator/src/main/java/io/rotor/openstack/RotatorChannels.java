package io.rotor.openstack;

import io.rotor.kit.participant.ParticipantRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Commands from {@code rotor.commands.openstack} and the pod restarter's steps from {@code rotor.steps.pod-restarter},
 * handed to the kit's
 * participant runtime; each record is acknowledged once its answer is published (see ParticipantRuntime).
 */
@ApplicationScoped
public class RotatorChannels {

    private final ParticipantRuntime runtime;

    @Inject
    public RotatorChannels(ParticipantRuntime runtime) {
        this.runtime = runtime;
    }

    @Incoming("commands")
    public CompletionStage<Void> command(Message<byte[]> message) {
        return runtime.consumeCommand(message);
    }

    @Incoming("events")
    public CompletionStage<Void> event(Message<byte[]> message) {
        return runtime.consumeEvent(message);
    }
}
