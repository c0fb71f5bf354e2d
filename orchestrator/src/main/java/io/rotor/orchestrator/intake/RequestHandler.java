package io.rotor.orchestrator.intake;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.event.CancelRotation;
import io.rotor.contracts.event.ConflictPolicy;
import io.rotor.contracts.event.OperatorConfirmation;
import io.rotor.contracts.event.RejectionReason;
import io.rotor.contracts.event.RotationCoalesced;
import io.rotor.contracts.event.RotationPlanned;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationRequest;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.SealedOperatorConfirmation;
import io.rotor.contracts.password.UnsatisfiablePolicyException;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.registry.RegisteredCredential;
import io.rotor.orchestrator.saga.AnsweredRequest;
import io.rotor.orchestrator.saga.Decision;
import io.rotor.orchestrator.saga.Inbound;
import io.rotor.orchestrator.saga.PendingStart;
import io.rotor.orchestrator.saga.SagaNews;
import io.rotor.orchestrator.saga.SagaRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Answers what arrives on {@code rotor.requests}, for the credentials whose partition this replica owns: reject with a
 * reason, plan (dry run), join the rotation in flight, or start one. Starting only publishes {@code RotationStarted}
 * with the sealed new value; the rotation becomes the credential's when {@code SagaProgress} reads it back from the
 * log, which is what keeps a rebalance or a stale replica from ever starting two.
 */
public final class RequestHandler {

    private static final Logger LOG = Logger.getLogger(RequestHandler.class);

    private final CredentialRegistry registry;
    private final Set<String> rotators;
    private final RotationStarter starter;
    private final DryRunPlanner planner;
    private final Clock clock;
    private final Supplier<String> rotationIds;
    private final int rememberedRequests;
    private final OperatorRequests operator;

    /** Refuses plain confirmations on the topic (the default). */
    public RequestHandler(CredentialRegistry registry, Set<String> rotators, RotationStarter starter,
            DryRunPlanner planner, SealingKeys keys, Clock clock, Supplier<String> rotationIds, int rememberedRequests) {
        this(registry, rotators, starter, planner, keys, clock, rotationIds, rememberedRequests, false);
    }

    /** @param acceptPlainConfirmations whether a confirmation with a plain password on the topic is taken */
    public RequestHandler(CredentialRegistry registry, Set<String> rotators, RotationStarter starter,
            DryRunPlanner planner, SealingKeys keys, Clock clock, Supplier<String> rotationIds, int rememberedRequests,
            boolean acceptPlainConfirmations) {
        this.operator = new OperatorRequests(keys, clock, rememberedRequests, acceptPlainConfirmations);
        this.registry = registry;
        this.rotators = Set.copyOf(rotators);
        this.starter = starter;
        this.planner = planner;
        this.clock = clock;
        this.rotationIds = rotationIds;
        this.rememberedRequests = rememberedRequests;
    }

    public Decision decide(Inbound in, int partition) {
        if (in.alreadyApplied()) {
            LOG.debugf("request at offset %d already handled", in.offset());
            return Decision.none();
        }
        RotorEvent event = in.event();
        if (event instanceof RotationRequested requested) {
            return onRequested(requested, in, partition);
        }
        if (event instanceof SealedOperatorConfirmation confirmation) {
            return operator.confirm(confirmation, in);
        }
        if (event instanceof OperatorConfirmation confirmation) {
            return operator.confirm(confirmation, in);
        }
        if (event instanceof CancelRotation cancel) {
            return operator.cancel(cancel, in);
        }
        return Decision.none();
    }

    private Decision onRequested(RotationRequested r, Inbound in, int partition) {
        SagaRecord state = in.state();
        Instant now = clock.instant();
        Optional<AnsweredRequest> earlier = state == null ? Optional.empty() : state.answered(r.requestId());
        if (earlier.isPresent()) {
            return repeat(r, earlier.get(), in);
        }
        CredentialRef ref = r.credential();
        if (!registry.watches(ref.namespace())) {
            return rejectUnknown(r, RejectionReason.UNKNOWN_CREDENTIAL, "namespace " + ref.namespace()
                    + " is not watched by this orchestrator (it watches " + registry.namespaces() + ")");
        }
        Optional<RegisteredCredential> found = registry.find(ref);
        if (found.isEmpty()) {
            return rejectUnknown(r, RejectionReason.UNKNOWN_CREDENTIAL, "there is no ManagedCredential "
                    + ref.name() + " in namespace " + ref.namespace());
        }
        RegisteredCredential credential = found.get();
        SagaRecord base = (state == null ? SagaRecord.empty(ref, partition) : state).withRequestsOffset(in.offset());
        if (!credential.valid()) {
            return reject(base, r, null, RejectionReason.INVALID_SPEC, "ManagedCredential " + ref + " (generation "
                    + credential.generation() + ") is invalid: " + credential.problemSummary()
                    + ". Fix the spec and ask again.", now);
        }
        ManagedCredentialSpec spec = credential.spec();
        String rotator = spec.platform().rotator();
        if (!rotators.contains(rotator)) {
            return reject(base, r, null, RejectionReason.NO_ROTATOR, "platform " + spec.platform().value()
                    + " is rotated by the '" + rotator + "' rotator, which this installation does not run"
                    + " (rotor.orchestrator.rotators=" + rotators.stream().sorted().toList() + ")", now);
        }
        if (r.dryRun()) {
            // A plan changes nothing, so it is not remembered: asking again simply plans again.
            String planId = rotationIds.get();
            return Decision.publishOnly(List.of(new RotationPlanned(planId, ref, r.requestId(),
                    planner.plan(credential))));
        }
        Optional<String> inFlight = base.inFlightRotationId();
        if (inFlight.isPresent()) {
            if (r.conflictPolicy() == ConflictPolicy.REJECT) {
                return reject(base, r, inFlight.get(), RejectionReason.ROTATION_IN_FLIGHT, "rotation "
                        + inFlight.get() + " is in flight for " + ref + " and the request asked not to join it"
                        + " (onConflict REJECT)", now);
            }
            SagaRecord next = base.withAnswer(AnsweredRequest.coalesced(r.requestId(), inFlight.get(), now),
                    rememberedRequests);
            return Decision.of(List.of(new RotationCoalesced(inFlight.get(), ref, r.requestId(), r.requestedBy())),
                    next, List.of());
        }
        String rotationId = rotationIds.get();
        RotationStarted started;
        try {
            started = starter.start(rotationId, r, spec, credential.generation());
        } catch (UnsatisfiablePolicyException e) {
            return reject(base, r, null, RejectionReason.INVALID_SPEC, "the password policy of " + ref
                    + " cannot be met: " + e.getMessage(), now);
        }
        LOG.infof("starting rotation %s of %s (request %s by %s)", rotationId, ref, r.requestId(), r.requestedBy());
        SagaRecord next = base.withPending(new PendingStart(rotationId, r.requestId(), in.time()))
                .withAnswer(AnsweredRequest.started(r.requestId(), rotationId, now), rememberedRequests);
        return Decision.of(List.of(started), next, List.of());
    }

    /** A request id seen before gets the answer it got then, and never a second rotation. */
    private Decision repeat(RotationRequested r, AnsweredRequest earlier, Inbound in) {
        LOG.infof("request %s for %s was answered before (%s %s); answering the same again", r.requestId(),
                r.credential(), earlier.answer(), earlier.rotationId());
        RotorEvent answer = switch (earlier.answer()) {
            case STARTED, COALESCED -> new RotationCoalesced(earlier.rotationId(), r.credential(), r.requestId(),
                    r.requestedBy());
            case REJECTED -> new RotationRejected(earlier.rotationId(), r.credential(), r.requestId(),
                    earlier.reason(), earlier.message());
            case CONFIRMED, CANCELLED -> new RotationRejected(null, r.credential(), r.requestId(),
                    RejectionReason.INVALID_REQUEST, "request id " + r.requestId()
                    + " was already used for a different request; use a new id for each request");
        };
        return Decision.of(List.of(answer), in.state().withRequestsOffset(in.offset()), List.of());
    }

    /**
     * The answer to a request for a credential whose saga state cannot be read: rejected with the reason, and no state
     * written, which would supersede the unreadable record and forget what it may hold.
     */
    public static Decision refuseUnreadable(RotationRequest request, String message) {
        LOG.warnf("rejecting request %s for %s: its saga state cannot be read", request.requestId(),
                request.credential());
        return Decision.publishOnly(List.of(new RotationRejected(request.rotationId(), request.credential(),
                request.requestId(), RejectionReason.STATE_UNREADABLE, message)));
    }

    /** Unknown credentials leave no state behind: a stream of requests for made-up names must not grow rotor.state. */
    private Decision rejectUnknown(RotationRequested r, RejectionReason reason, String message) {
        LOG.infof("rejecting request %s for %s: %s", r.requestId(), r.credential(), message);
        return Decision.publishOnly(List.of(new RotationRejected(null, r.credential(), r.requestId(), reason,
                message)));
    }

    private Decision reject(SagaRecord base, RotationRequested r, String rotationId, RejectionReason reason,
            String message, Instant now) {
        LOG.infof("rejecting request %s for %s (%s): %s", r.requestId(), r.credential(), reason, message);
        SagaRecord next = base.withAnswer(AnsweredRequest.rejected(r.requestId(), rotationId, reason, message, now),
                rememberedRequests);
        return Decision.of(List.of(new RotationRejected(rotationId, r.credential(), r.requestId(), reason, message)),
                next, List.of(new SagaNews(r.credential(), SagaNews.Kind.REJECTED, rotationId, reason + ": "
                        + message)));
    }
}
