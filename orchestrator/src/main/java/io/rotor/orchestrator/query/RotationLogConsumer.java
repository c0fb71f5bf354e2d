package io.rotor.orchestrator.query;

import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.RejectedRecord;
import io.rotor.kit.messaging.InboundRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Feeds every replica's {@link RotationLog} from all of {@code rotor.events}. Bad records are skipped here: the
 * orchestrator member that owns their partition is the one that copies them to {@code rotor.dlq}.
 */
@ApplicationScoped
public class RotationLogConsumer {

    private static final Logger LOG = Logger.getLogger(RotationLogConsumer.class);

    @Inject
    CloudEventCodec codec;

    @Inject
    RotationLog log;

    @Incoming("rotation-log")
    public CompletionStage<Void> consume(Message<byte[]> message) {
        InboundRecord r = InboundRecord.of(message);
        try {
            log.apply(codec.decode(r.topic(), r.key(), r.headers(), r.value()));
        } catch (RejectedRecord e) {
            LOG.debugf("rotation log skips %s: %s", r.position(), e.reason());
        }
        return message.ack();
    }
}
