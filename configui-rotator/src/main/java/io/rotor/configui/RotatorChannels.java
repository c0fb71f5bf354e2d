package io.rotor.configui;

import io.quarkus.runtime.Startup;
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
 *
 * <p>Created at start-up ({@code @Startup}), and with it the participant runtime: a missing keyring, an unreadable
 * endpoint policy or a keyring for the wrong audience stops the service then, instead of at its first record (the
 * Kafka connector creates a consumer's bean only when a record arrives).
 */
@Startup
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
