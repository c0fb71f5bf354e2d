package io.rotor.configui;

import io.rotor.kit.participant.ParticipantRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Commands from {@code rotor.commands.configui}, handed to the kit's participant runtime; each record is acknowledged
 * once its answer is published. There is no step-event input: neither {@code replace} nor {@code manual} has an old
 * value to retire or a rollback to take part in, so the rotator need not read {@code rotor.events} at all.
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
}
