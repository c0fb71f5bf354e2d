package io.rotor.secret;

import io.rotor.kit.messaging.InboundProcessor;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The writer's door: step events from {@code rotor.events} in its own consumer group ({@code rotor-secret-writer}).
 * One record at a time, on a worker thread; the offset is committed only after the answer is acknowledged.
 */
@ApplicationScoped
public class SecretWriterConsumer {

    public static final String CHANNEL = "secret-writer-in";

    @Inject
    InboundProcessor processor;

    @Inject
    SecretWriter writer;

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> message) {
        return processor.process(message, writer::handle);
    }
}
