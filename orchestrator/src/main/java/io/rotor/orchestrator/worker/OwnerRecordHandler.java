package io.rotor.orchestrator.worker;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.OperatorConfirmation;
import io.rotor.contracts.event.RotationRequest;
import io.rotor.contracts.event.Topics;
import io.rotor.kit.messaging.HandleLater;
import io.rotor.kit.messaging.InboundRecord;
import io.rotor.kit.messaging.RecordRefused;
import io.rotor.orchestrator.intake.RequestHandler;
import io.rotor.orchestrator.registry.RegisteredCredential;
import io.rotor.orchestrator.saga.Decision;
import io.rotor.orchestrator.saga.Inbound;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Handles one record of an owned partition, knowing nothing of consumers or offsets: decode (bad records go to
 * {@code rotor.dlq}), decide, publish the answer (acknowledged), persist the new saga state (acknowledged), and only
 * then take the state as the member's and report it. Whatever Kafka does not acknowledge leaves the member's state as
 * it was, so the record can simply be handled again.
 *
 * <p>The loop calls it once per record and commits after it. Batching a poll (answers of many records in flight at
 * once, one commit) would split {@link #handle} at its publish and persist phases; the in-memory state must then be
 * restored from {@code rotor.state} whenever a batch fails part-way, because later records decide from earlier ones.
 */
final class OwnerRecordHandler {

    private static final Logger LOG = Logger.getLogger(OwnerRecordHandler.class);

    /** What became of a record: done with (handled, or refused to the DLQ), or to be read again. */
    record Outcome(Throwable retryBecause) {

        static Outcome done() {
            return new Outcome(null);
        }

        boolean handled() {
            return retryBecause == null;
        }
    }

    private final WorkerParts parts;
    private final OwnedSagas sagas;

    OwnerRecordHandler(WorkerParts parts, OwnedSagas sagas) {
        this.parts = parts;
        this.sagas = sagas;
    }

    /**
     * @param timestamp Kafka's timestamp of the record (epoch millis): its time when it carries no {@code ce_time}
     * @throws InterruptedException the member is stopping; the record is not done with
     */
    Outcome handle(InboundRecord record, long timestamp) throws InterruptedException {
        AtomicReference<Decision> decision = new AtomicReference<>();
        try {
            // A decision that throws is the record's problem: the inbound processor copies it to the DLQ once and
            // this member moves on. Only a RetryLater (or Kafka's trouble) leaves it to be read again.
            parts.inbound().process(record, decoded -> {
                Decision d = decide(decoded, record, timestamp);
                decision.set(d);
                return CompletableFuture.completedFuture(d.publish());
            }).toCompletableFuture().get(parts.config().publishTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
            Decision d = decision.get();
            if (d != null) {
                settle(d, record.key());
            }
            return Outcome.done();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return new Outcome(unwrap(e));
        }
    }

    /** The answer is acknowledged: persist the state, then count and report what this member decided. */
    private void settle(Decision d, String key) throws InterruptedException, ExecutionException, TimeoutException {
        if (d.state() != null) {
            parts.store().write(d.state());
            sagas.persisted(d.state());
        }
        if (d.state() != null || !d.news().isEmpty()) {
            // Outcomes this member decided (not records it only forwarded), counted once published and stored.
            parts.metrics().published(d.publish(), d.state() == null ? null : d.state().last(), platformOf(key));
        }
        if (!d.news().isEmpty()) {
            parts.status().report(d.state() != null ? d.state() : sagas.orNull(d.news().get(0).credential()),
                    d.news());
        }
    }

    private Decision decide(DecodedEvent decoded, InboundRecord r, long timestamp) {
        CredentialRef ref = decoded.event().credential();
        int partition = sagas.partitionOf(ref);
        if (partition != r.partition() && decoded.event() instanceof OperatorConfirmation) {
            throw new IllegalStateException("an operator confirmation for " + ref + " arrived on partition "
                    + r.partition() + ", not the credential's partition " + partition + ", and cannot be forwarded "
                    + "(it carries a plain password): produce it keyed by the credential with the default partitioner");
        }
        if (partition != r.partition() && Topics.isSteps(r.topic())) {
            // A participant keys its steps by credential with the default partitioner; the orchestrator may not
            // write a participant's topic, so there is nowhere to forward it.
            LOG.warnf("%s for %s arrived on partition %d of %s but the credential lives on partition %d; ignored",
                    decoded.type().ceType(), ref, r.partition(), r.topic(), partition);
            return Decision.none();
        }
        if (partition != r.partition()) {
            // Produced with a partitioner other than Kafka's default: the record is in a partition whose owner does
            // not hold this credential's saga. Put it where it belongs (keyed publish) instead of acting on it here.
            LOG.warnf("%s for %s arrived on partition %d but the credential lives on partition %d; forwarding it",
                    decoded.type().ceType(), ref, r.partition(), partition);
            return Decision.publishOnly(List.of(decoded.event()));
        }
        Optional<UnreadableState> unreadable = sagas.unreadable(ref);
        if (unreadable.isPresent()) {
            // Its latest saga state may hold a rotation in flight that this member cannot see: deciding anything
            // from "no saga" could start a second rotation or drop the first. Requests get the reason.
            if (decoded.event() instanceof RotationRequest request) {
                return RequestHandler.refuseUnreadable(request, unreadable.get().message());
            }
            throw new RecordRefused(RecordRefused.Reason.STATE_UNREADABLE, unreadable.get().message());
        }
        Instant time = decoded.time() != null ? decoded.time() : Instant.ofEpochMilli(timestamp);
        Inbound in = new Inbound(decoded, sagas.orNull(ref), r.topic(), partition, r.offset(), time);
        if (Topics.REQUESTS.equals(r.topic())) {
            awaitRegistry();
            return parts.requests().decide(in, partition);
        }
        return parts.progress().decide(in, partition);
    }

    /** A request is never answered "unknown" because the ManagedCredentials have not been listed yet. */
    private void awaitRegistry() {
        try {
            if (!parts.registry().awaitSynced(Duration.ofSeconds(2))) {
                throw new RetryLater("the ManagedCredentials have not been listed yet; the request waits");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryLater("interrupted while waiting for the registry");
        }
    }

    private String platformOf(String key) {
        try {
            return parts.registry().find(CredentialRef.parse(key)).filter(RegisteredCredential::valid)
                    .map(c -> c.spec().platform().value()).orElse("unknown");
        } catch (RuntimeException notARef) {
            return "unknown";
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Handling cannot happen yet for a reason outside the record (the registry not listed): retried, never parked. */
    static final class RetryLater extends HandleLater {
        RetryLater(String message) {
            super(message, null);
        }
    }
}
