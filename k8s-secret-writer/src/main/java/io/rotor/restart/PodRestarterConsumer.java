package io.rotor.restart;

import io.rotor.kit.messaging.InboundProcessor;
import io.rotor.kit.retry.ConcurrencyLimiter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The restarter's door: step events from {@code rotor.events} in its own consumer group
 * ({@code rotor-pod-restarter}). Unlike the writer it does not take one record at a time: a restart can take minutes,
 * and other credentials' restarts (and the debounce of a bulk rotation) must not wait behind it. Each record is
 * admitted (up to {@code rotor.restarter.max-in-flight} at once) and acknowledged only after its answer is on Kafka;
 * the throttled commit strategy commits an offset only once every record before it is acknowledged, so a restarter
 * that stops mid-rollout gets the record again and resumes waiting.
 */
@ApplicationScoped
public class PodRestarterConsumer {

    public static final String CHANNEL = "pod-restarter-in";

    /** The limiter's one key: every record of this consumer counts against the same bound. */
    private static final String RECORDS = "records";

    private final InboundProcessor processor;
    private final PodRestarter restarter;
    private final ConcurrencyLimiter inFlight;

    @Inject
    public PodRestarterConsumer(InboundProcessor processor, PodRestarter restarter, RestarterConfig config) {
        this.processor = processor;
        this.restarter = restarter;
        this.inFlight = new ConcurrencyLimiter(config.maxInFlight());
    }

    @Incoming(CHANNEL)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        // Completes once the record is admitted, so Reactive Messaging delivers the next one while this one runs.
        return inFlight.start(RECORDS, () -> processor.process(message, restarter::handle));
    }
}
