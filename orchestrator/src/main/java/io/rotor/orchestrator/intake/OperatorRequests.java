package io.rotor.orchestrator.intake;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.RotationOutcomeKind;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.event.CancelRotation;
import io.rotor.contracts.event.CommandAction;
import io.rotor.contracts.event.OperatorConfirmation;
import io.rotor.contracts.event.RejectionReason;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationCancelled;
import io.rotor.contracts.event.RotationConfirmed;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.SealedOperatorConfirmation;
import io.rotor.contracts.saga.SagaState;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.SealingException;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.orchestrator.saga.ActiveRotation;
import io.rotor.orchestrator.saga.AnsweredRequest;
import io.rotor.orchestrator.saga.Decision;
import io.rotor.orchestrator.saga.FinishedRotation;
import io.rotor.orchestrator.saga.Inbound;
import io.rotor.orchestrator.saga.SagaNews;
import io.rotor.orchestrator.saga.SagaRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * What an operator can ask of a manual rotation: confirm it with the password they set in the product, or cancel it
 * while nothing has changed. Only the owner of the credential's partition decides, so these are answered here and
 * not at the REST door, which only seals and forwards.
 *
 * <p>Confirmations arrive in two forms. The sealed one ({@code io.rotor.operator.confirmation.sealed.v1}) comes from
 * the REST door and the dashboard, which seal the password on arrival: it carries nothing readable and, since only a
 * holder of Rotor's sealing keys can make one for this rotation, it also proves where it comes from. The plain one
 * ({@code io.rotor.operator.confirmation.v1}) puts the password into {@code rotor.requests} in plain text, where
 * anyone who may read the topic can read it until retention removes it; it is refused unless the installation has
 * accepted that risk ({@code rotor.orchestrator.intake.accept-plain-confirmations}).
 */
public final class OperatorRequests {

    private static final Logger LOG = Logger.getLogger(OperatorRequests.class);

    private final SealingKeys keys;
    private final Clock clock;
    private final int rememberedRequests;
    private final boolean acceptPlainConfirmations;

    public OperatorRequests(SealingKeys keys, Clock clock, int rememberedRequests, boolean acceptPlainConfirmations) {
        this.keys = keys;
        this.clock = clock;
        this.rememberedRequests = rememberedRequests;
        this.acceptPlainConfirmations = acceptPlainConfirmations;
    }

    /** A confirmation with the password in plain text, as it was read from the topic. */
    public Decision confirm(OperatorConfirmation c, Inbound in) {
        try {
            var earlier = repeated(c.requestId(), c.credential(), in);
            if (earlier != null) {
                return earlier;
            }
            if (!acceptPlainConfirmations) {
                return rejected(in, c.requestId(), c.rotationId(), c.credential(), RejectionReason.NOT_AUTHORIZED,
                        "confirmations with a plain password on rotor.requests are refused: this record has put the "
                        + "password in plain text into the topic, where it can be read until retention removes it. "
                        + "Treat that password as exposed: set another one in the portal, then confirm with POST "
                        + "/api/v1/rotations/" + c.rotationId() + "/confirm or the dashboard, which seal it at once "
                        + "(or allow plain confirmations with rotor.orchestrator.intake.accept-plain-confirmations)");
            }
            String problem = notWaiting(in.state(), c.rotationId(), c.credential(), "confirmed");
            if (problem != null) {
                return rejected(in, c.requestId(), c.rotationId(), c.credential(), RejectionReason.ROTATION_NOT_WAITING,
                        problem);
            }
            Map<String, SealedValue> material = CredentialMaterial.password(c.password())
                    .seal(keys.sealerFor(in.state().active().spec().platform()), c.rotationId(), c.credential(),
                            CredentialMaterial.Purpose.NEW);
            return confirmed(in, c.requestId(), c.rotationId(), c.credential(), material, c.confirmedBy(), "plain");
        } finally {
            c.password().destroy();
        }
    }

    /** A confirmation sealed by the door that received it. */
    public Decision confirm(SealedOperatorConfirmation c, Inbound in) {
        var earlier = repeated(c.requestId(), c.credential(), in);
        if (earlier != null) {
            return earlier;
        }
        Map<String, SealedValue> material = Map.of(CredentialField.PASSWORD.key(),
                c.material().get(CredentialField.PASSWORD.key()));
        ActiveRotation waiting = in.state() == null ? null : in.state().active();
        if (waiting == null || !waiting.rotationId().equals(c.rotationId())) {
            return rejected(in, c.requestId(), c.rotationId(), c.credential(), RejectionReason.ROTATION_NOT_WAITING,
                    notWaiting(in.state(), c.rotationId(), c.credential(), "confirmed"));
        }
        try {
            CredentialMaterial.open(keys.sealerFor(waiting.spec().platform()), material, c.rotationId(), c.credential(), CredentialMaterial.Purpose.NEW)
                    .fields().values().forEach(SecretValue::destroy);
        } catch (SealingException e) {
            return rejected(in, c.requestId(), c.rotationId(), c.credential(), RejectionReason.NOT_AUTHORIZED,
                    "the sealed password does not open for rotation " + c.rotationId() + " of " + c.credential()
                    + " with this orchestrator's keys (" + e.reason() + "): it was sealed with a key Rotor does not "
                    + "hold, for another rotation, or altered. Confirm through the REST API or the dashboard");
        }
        String problem = notWaiting(in.state(), c.rotationId(), c.credential(), "confirmed");
        if (problem != null) {
            return rejected(in, c.requestId(), c.rotationId(), c.credential(), RejectionReason.ROTATION_NOT_WAITING,
                    problem);
        }
        return confirmed(in, c.requestId(), c.rotationId(), c.credential(), material, c.confirmedBy(), "sealed");
    }

    /** Only a manual rotation still waiting for its operator, and not yet confirmed, has changed nothing. */
    public Decision cancel(CancelRotation c, Inbound in) {
        var earlier = repeated(c.requestId(), c.credential(), in);
        if (earlier != null) {
            return earlier;
        }
        String problem = notWaiting(in.state(), c.rotationId(), c.credential(), "cancelled");
        if (problem != null) {
            return rejected(in, c.requestId(), c.rotationId(), c.credential(), RejectionReason.ROTATION_NOT_WAITING,
                    problem);
        }
        SagaRecord state = in.state();
        ActiveRotation active = state.active();
        Instant now = clock.instant();
        FinishedRotation finished = new FinishedRotation(active.rotationId(), RotationOutcomeKind.CANCELLED,
                active.startedAt(), in.time(), active.requestedBy(), c.reason());
        SagaRecord next = state.finished(finished).withRequestsOffset(in.offset()).withAnswer(
                new AnsweredRequest(c.requestId(), AnsweredRequest.Answer.CANCELLED, c.rotationId(), null,
                        c.requestedBy(), now), rememberedRequests);
        LOG.infof("rotation %s of %s cancelled by %s", c.rotationId(), c.credential(), c.requestedBy());
        return Decision.of(List.of(new RotationCancelled(c.rotationId(), c.credential(), c.reason(),
                c.requestedBy(), c.requestId())), next, List.of(new SagaNews(c.credential(), SagaNews.Kind.CANCELLED,
                c.rotationId(), "cancelled by " + c.requestedBy() + (c.reason() == null ? "" : ": " + c.reason()))));
    }

    /**
     * Why the rotation cannot be confirmed or cancelled now, or null when it can. Both need a manual rotation in flight
     * that waits for its operator and was not confirmed yet: after a confirmation the rotator may already be writing.
     */
    private static String notWaiting(SagaRecord state, String rotationId, CredentialRef credential, String verb) {
        ActiveRotation active = state == null ? null : state.active();
        if (active == null || !active.rotationId().equals(rotationId)) {
            return "rotation " + rotationId + " is not in flight for " + credential
                    + (state != null && state.last() != null && state.last().rotationId().equals(rotationId)
                            ? " (it ended " + state.last().outcome() + ")" : "")
                    + "; only a manual rotation waiting for its operator can be " + verb;
        }
        if (active.spec().strategy() != Strategy.MANUAL) {
            return "rotation " + rotationId + " of " + credential + " runs with strategy "
                    + active.spec().strategy().value() + " and may already have changed the credential; only a manual "
                    + "rotation waiting for its operator can be " + verb;
        }
        if (active.state() != SagaState.STARTED && active.state() != SagaState.AWAITING_OPERATOR) {
            return "rotation " + rotationId + " of " + credential + " is " + active.state()
                    + ", no longer waiting for its operator; only a rotation in AWAITING_OPERATOR can be " + verb;
        }
        if (active.operatorConfirmed()) {
            return "rotation " + rotationId + " of " + credential + " was already confirmed and the rotator is "
                    + "taking the confirmed password into use; it can no longer be " + verb;
        }
        return null;
    }

    private Decision confirmed(Inbound in, String requestId, String rotationId, CredentialRef credential,
            Map<String, SealedValue> material, String confirmedBy, String form) {
        SagaRecord state = in.state();
        ActiveRotation active = state.active();
        SagaRecord next = state.withActive(active.confirmed().withMaterial(material, active.previous()))
                .withRequestsOffset(in.offset())
                .withAnswer(new AnsweredRequest(requestId, AnsweredRequest.Answer.CONFIRMED, rotationId, null,
                        confirmedBy, clock.instant()), rememberedRequests);
        LOG.infof("rotation %s of %s confirmed by %s (%s confirmation); the sealed password goes to the rotator",
                rotationId, credential, confirmedBy, form);
        return Decision.of(List.of(new RotationConfirmed(rotationId, credential, requestId, confirmedBy),
                new RotateCredential(rotationId, credential, CommandAction.APPLY, active.spec(), material,
                        SpecDigest.of(active.spec()))), next,
                List.of(new SagaNews(credential, SagaNews.Kind.PROGRESSED, rotationId, "confirmed by "
                        + confirmedBy)));
    }

    /** A request id answered before gets the same answer again (a retry of the REST door waits for it). */
    private Decision repeated(String requestId, CredentialRef credential, Inbound in) {
        SagaRecord state = in.state();
        var earlier = state == null ? java.util.Optional.<AnsweredRequest>empty() : state.answered(requestId);
        if (earlier.isEmpty()) {
            return null;
        }
        AnsweredRequest a = earlier.get();
        LOG.infof("request %s for %s was answered before (%s); answering the same again", requestId, credential,
                a.answer());
        RotorEvent answer = switch (a.answer()) {
            case CONFIRMED -> new RotationConfirmed(a.rotationId(), credential, requestId,
                    a.message() == null ? "unknown" : a.message());
            case CANCELLED -> new RotationCancelled(a.rotationId(), credential, null,
                    a.message() == null ? "unknown" : a.message(), requestId);
            case REJECTED -> new RotationRejected(a.rotationId(), credential, requestId, a.reason(), a.message());
            case STARTED, COALESCED -> new RotationRejected(null, credential, requestId,
                    RejectionReason.INVALID_REQUEST, "request id " + requestId + " was already used for a different "
                    + "request; use a new id for each request");
        };
        return Decision.of(List.of(answer), state.withRequestsOffset(in.offset()), List.of());
    }

    private Decision rejected(Inbound in, String requestId, String rotationId, CredentialRef credential,
            RejectionReason reason, String problem) {
        LOG.infof("refusing request %s for rotation %s of %s (%s): %s", requestId, rotationId, credential, reason,
                problem);
        RotationRejected rejected = new RotationRejected(null, credential, requestId, reason, problem);
        SagaRecord state = in.state();
        if (state == null) {
            return Decision.publishOnly(List.of(rejected));
        }
        return Decision.of(List.of(rejected), state.withRequestsOffset(in.offset()).withAnswer(
                AnsweredRequest.rejected(requestId, null, reason, problem, clock.instant()), rememberedRequests),
                List.of());
    }
}
