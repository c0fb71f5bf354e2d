package io.rotor.orchestrator.intake;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.event.CancelRotation;
import io.rotor.contracts.event.CommandAction;
import io.rotor.contracts.event.ConflictPolicy;
import io.rotor.contracts.event.OperatorConfirmation;
import io.rotor.contracts.event.RejectionReason;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationCancelled;
import io.rotor.contracts.event.RotationCoalesced;
import io.rotor.contracts.event.RotationPlanned;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.password.UnsatisfiablePolicyException;
import io.rotor.contracts.saga.SagaState;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.Sealer;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.registry.RegisteredCredential;
import io.rotor.orchestrator.saga.ActiveRotation;
import io.rotor.orchestrator.saga.AnsweredRequest;
import io.rotor.orchestrator.saga.Decision;
import io.rotor.orchestrator.saga.FinishedRotation;
import io.rotor.orchestrator.saga.Inbound;
import io.rotor.orchestrator.saga.PendingStart;
import io.rotor.orchestrator.saga.SagaNews;
import io.rotor.orchestrator.saga.SagaRecord;
import io.rotor.contracts.credential.RotationOutcomeKind;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    private final Sealer sealer;
    private final Clock clock;
    private final Supplier<String> rotationIds;
    private final int rememberedRequests;

    public RequestHandler(CredentialRegistry registry, Set<String> rotators, RotationStarter starter,
            DryRunPlanner planner, Sealer sealer, Clock clock, Supplier<String> rotationIds, int rememberedRequests) {
        this.registry = registry;
        this.rotators = Set.copyOf(rotators);
        this.starter = starter;
        this.planner = planner;
        this.sealer = sealer;
        this.clock = clock;
        this.rotationIds = rotationIds;
        this.rememberedRequests = rememberedRequests;
    }

    public Decision decide(Inbound in, int partition) {
        if (in.alreadyApplied(true)) {
            LOG.debugf("request at offset %d already handled", in.offset());
            return Decision.none();
        }
        RotorEvent event = in.event();
        if (event instanceof RotationRequested requested) {
            return onRequested(requested, in, partition);
        }
        if (event instanceof OperatorConfirmation confirmation) {
            return onConfirmation(confirmation, in);
        }
        if (event instanceof CancelRotation cancel) {
            return onCancel(cancel, in);
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
            started = starter.start(rotationId, r, spec);
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

    /**
     * Manual strategy: the operator changed the password in the product and hands it in. It is sealed at once and
     * sent to the rotator, which proves it works and reports PLATFORM_UPDATED with it.
     */
    private Decision onConfirmation(OperatorConfirmation c, Inbound in) {
        SagaRecord state = in.state();
        Instant now = clock.instant();
        try {
            if (state != null && state.answered(c.requestId()).isPresent()) {
                LOG.infof("confirmation %s for %s was handled before; nothing to do", c.requestId(), c.credential());
                return Decision.of(List.of(), state.withRequestsOffset(in.offset()), List.of());
            }
            ActiveRotation active = state == null ? null : state.active();
            String problem = null;
            if (active == null || !active.rotationId().equals(c.rotationId())) {
                problem = "rotation " + c.rotationId() + " is not in flight for " + c.credential();
            } else if (active.state() != SagaState.AWAITING_OPERATOR) {
                problem = "rotation " + c.rotationId() + " is not waiting for an operator (it is " + active.state()
                        + ")";
            } else if (active.operatorConfirmed()) {
                problem = "rotation " + c.rotationId() + " was already confirmed";
            }
            if (problem != null) {
                return confirmationRejected(state, c, problem, in, now);
            }
            Map<String, SealedValue> material = CredentialMaterial.of(Map.of(CredentialField.PASSWORD, c.password()))
                    .seal(sealer, c.rotationId(), c.credential(), CredentialMaterial.Purpose.NEW);
            ActiveRotation confirmed = active.confirmed().withMaterial(material, active.previous());
            SagaRecord next = state.withActive(confirmed).withRequestsOffset(in.offset())
                    .withAnswer(new AnsweredRequest(c.requestId(), AnsweredRequest.Answer.CONFIRMED, c.rotationId(),
                            null, null, now), rememberedRequests);
            LOG.infof("rotation %s of %s confirmed by %s", c.rotationId(), c.credential(), c.confirmedBy());
            return Decision.of(List.of(new RotateCredential(c.rotationId(), c.credential(), CommandAction.APPLY,
                    active.spec(), material)), next, List.of(new SagaNews(c.credential(), SagaNews.Kind.PROGRESSED,
                    c.rotationId(), "confirmed by " + c.confirmedBy())));
        } finally {
            c.password().destroy();
        }
    }

    private Decision confirmationRejected(SagaRecord state, OperatorConfirmation c, String problem, Inbound in,
            Instant now) {
        RotationRejected rejected = new RotationRejected(null, c.credential(), c.requestId(),
                RejectionReason.INVALID_REQUEST, problem);
        if (state == null) {
            return Decision.publishOnly(List.of(rejected));
        }
        return Decision.of(List.of(rejected), state.withRequestsOffset(in.offset()).withAnswer(
                AnsweredRequest.rejected(c.requestId(), null, RejectionReason.INVALID_REQUEST, problem, now),
                rememberedRequests), List.of());
    }

    /** Only a manual rotation still waiting for its operator has changed nothing and can be cancelled. */
    private Decision onCancel(CancelRotation c, Inbound in) {
        SagaRecord state = in.state();
        Instant now = clock.instant();
        if (state != null && state.answered(c.requestId()).isPresent()) {
            return Decision.of(List.of(), state.withRequestsOffset(in.offset()), List.of());
        }
        ActiveRotation active = state == null ? null : state.active();
        String problem = null;
        if (active == null || !active.rotationId().equals(c.rotationId())) {
            problem = "rotation " + c.rotationId() + " is not in flight for " + c.credential();
        } else if (active.spec().strategy() != Strategy.MANUAL
                || (active.state() != SagaState.STARTED && active.state() != SagaState.AWAITING_OPERATOR)
                || active.operatorConfirmed()) {
            problem = "rotation " + c.rotationId() + " may already have changed the credential (strategy "
                    + active.spec().strategy().value() + ", " + active.state()
                    + (active.operatorConfirmed() ? ", confirmed" : "")
                    + "); only a manual rotation still waiting for its operator can be cancelled";
        }
        if (problem != null) {
            RotationRejected rejected = new RotationRejected(null, c.credential(), c.requestId(),
                    RejectionReason.INVALID_REQUEST, problem);
            return state == null ? Decision.publishOnly(List.of(rejected))
                    : Decision.of(List.of(rejected), state.withRequestsOffset(in.offset()).withAnswer(
                            AnsweredRequest.rejected(c.requestId(), null, RejectionReason.INVALID_REQUEST, problem,
                                    now), rememberedRequests), List.of());
        }
        FinishedRotation finished = new FinishedRotation(active.rotationId(), RotationOutcomeKind.CANCELLED,
                active.startedAt(), in.time(), active.requestedBy(), c.reason());
        SagaRecord next = state.finished(finished).withRequestsOffset(in.offset()).withAnswer(
                new AnsweredRequest(c.requestId(), AnsweredRequest.Answer.CANCELLED, c.rotationId(), null, null, now),
                rememberedRequests);
        LOG.infof("rotation %s of %s cancelled by %s", c.rotationId(), c.credential(), c.requestedBy());
        return Decision.of(List.of(new RotationCancelled(c.rotationId(), c.credential(), c.reason(),
                c.requestedBy())), next, List.of(new SagaNews(c.credential(), SagaNews.Kind.CANCELLED,
                c.rotationId(), "cancelled by " + c.requestedBy() + (c.reason() == null ? "" : ": " + c.reason()))));
    }
}
