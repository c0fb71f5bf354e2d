package io.rotor.redis;

import io.quarkus.runtime.Startup;
import io.rotor.kit.participant.ParticipantRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The Redis rotator's two inputs: its commands ({@code rotor.commands.redis}) and the pod restarter's steps
 * ({@code rotor.steps.pod-restarter}), both handed to the kit's participant runtime with the Redis Enterprise and ACL adapters.
 * Each returns once the record is taken, not when it is done: records are acknowledged when their answer is
 * published, so a propagation wait holds back only its own record.
 *
 * <p>Created at start-up ({@code @Startup}), and with it the participant runtime: a missing keyring, an unreadable
 * endpoint policy or a keyring for the wrong audience stops the service then, instead of at its first record (the
 * Kafka connector creates a consumer's bean only when a record arrives).
 */
@Startup
@ApplicationScoped
public class RotatorEndpoints {

    @Inject
    ParticipantRuntime participant;

    @Incoming("rotor-commands")
    public CompletionStage<Void> command(Message<byte[]> message) {
        return participant.consumeCommand(message);
    }

    @Incoming("rotor-events")
    public CompletionStage<Void> event(Message<byte[]> message) {
        return participant.consumeEvent(message);
    }
}
