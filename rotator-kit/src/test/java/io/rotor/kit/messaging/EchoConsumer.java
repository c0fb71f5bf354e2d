package io.rotor.kit.messaging;

import io.rotor.contracts.event.RejectionReason;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** A minimal service for the kit's own test: answers every request with a rejection naming the request id. */
@ApplicationScoped
public class EchoConsumer {

    @Inject
    InboundProcessor processor;

    @Incoming("test-in")
    public CompletionStage<Void> consume(Message<byte[]> message) {
        return processor.process(message, decoded -> {
            RotationRequested r = (RotationRequested) decoded.event();
            if (r.requestId().contains("boom")) {
                throw new IllegalStateException("a handler bug");
            }
            return CompletableFuture.completedFuture(List.of(new RotationRejected(null, r.credential(), r.requestId(),
                    RejectionReason.UNKNOWN_CREDENTIAL, "echo")));
        });
    }
}
