package io.rotor.orchestrator.intake;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.envelope.StrictJson;
import io.rotor.contracts.event.CancelRotation;
import io.rotor.contracts.event.RotationCancelled;
import io.rotor.contracts.event.RotationConfirmed;
import io.rotor.contracts.event.RotationOutcome;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationRequest;
import io.rotor.contracts.event.SealedOperatorConfirmation;
import io.rotor.contracts.saga.SagaState;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.validation.Validator;
import io.rotor.kit.messaging.EventPublisher;
import io.rotor.orchestrator.access.Access;
import io.rotor.orchestrator.access.Caller;
import io.rotor.orchestrator.access.Verb;
import io.rotor.orchestrator.api.Problem;
import io.rotor.orchestrator.config.OrchestratorConfig;
import io.rotor.orchestrator.query.RotationLog;
import io.rotor.orchestrator.query.RotationSummary;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The operator's doors to a manual rotation: confirm it with the password set in the product, or cancel it. The
 * password is sealed here, on arrival, for this rotation and credential, and only the sealed form goes on
 * {@code rotor.requests}; it is never logged and no answer repeats it. Like the rotation door, these wait for the
 * answer of the orchestrator member that owns the credential, which alone decides. Requests that cannot succeed by
 * what this replica's read model knows (an unknown rotation, one that is not a manual rotation waiting for its
 * operator) are refused here, before anything is sealed or published.
 */
@Path("/api/v1")
@Tag(name = "rotations")
@SecurityRequirement(name = "bearer")
@Authenticated
public class OperatorResource {

    private static final Logger LOG = Logger.getLogger(OperatorResource.class);
    private static final Set<String> WAITING = Set.of(SagaState.STARTED.name(), SagaState.AWAITING_OPERATOR.name());

    private final StrictJson json = new StrictJson();

    @Inject
    EventPublisher publisher;

    @Inject
    RotationLog log;

    @Inject
    SealingKeys keys;

    @Inject
    OrchestratorConfig config;

    @Inject
    Access access;

    @Inject
    SecurityIdentity identity;

    @POST
    @Path("/rotations/{id}/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Confirm a manual rotation with the password set in the product; it is sealed on arrival")
    @RequestBody(description = "{password, confirmedBy, requestId}")
    @APIResponse(responseCode = "202", description = "Confirmed: the sealed password is on its way to the rotator")
    @APIResponse(responseCode = "400", description = "The body is malformed or invalid (the password is never echoed)")
    @APIResponse(responseCode = "401", description = "Missing or wrong bearer token")
    @APIResponse(responseCode = "403", description = "The caller may not confirm rotations of this credential (RBAC "
            + "verb confirm), or the orchestrator refused the confirmation (see detail)")
    @APIResponse(responseCode = "404", description = "No such rotation")
    @APIResponse(responseCode = "409", description = "The rotation is not a manual rotation waiting for its operator")
    public Response confirm(@PathParam("id") String rotationId, byte[] body,
            @HeaderParam("Idempotency-Key") String idempotencyKey) throws InterruptedException {
        ConfirmationBody parsed = json.read(body == null ? new byte[0] : body, ConfirmationBody.class);
        try {
            Caller caller = Access.caller(identity);
            RotationSummary rotation = find(rotationId, caller);
            if (rotation == null) {
                return unknown(rotationId);
            }
            CredentialRef credential = CredentialRef.parse(rotation.credential());
            access.require(caller, Verb.CONFIRM, credential);
            String requestId = requestId(parsed.requestId(), idempotencyKey, "confirm");
            Optional<RotationOutcome> earlier = log.answer(credential, requestId);
            if (earlier.isPresent()) {
                return respond(earlier.get(), requestId, credential, rotationId);
            }
            Optional<String> refusal = notWaiting(rotation, "confirmed");
            if (refusal.isPresent()) {
                return notWaiting(rotationId, refusal.get());
            }
            Map<String, SealedValue> sealed = CredentialMaterial.of(Map.of(CredentialField.PASSWORD, parsed.password()))
                    .seal(keys.sealerFor(platformOf(rotation)), rotationId, credential,
                            CredentialMaterial.Purpose.NEW);
            SealedOperatorConfirmation request = Validator.requireValid(new SealedOperatorConfirmation(requestId,
                    rotationId, credential, sealed, caller.actor()));
            LOG.infof("confirmation %s of rotation %s of %s by %s received and sealed%s", requestId, rotationId,
                    credential, caller.actor(), parsed.confirmedBy() == null ? ""
                            : " (caller's note: on behalf of " + parsed.confirmedBy() + ")");
            return submit(request, rotationId);
        } finally {
            parsed.password().destroy();
        }
    }

    @POST
    @Path("/rotations/{id}/cancel")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Cancel a manual rotation that is still waiting for its operator; changes nothing")
    @RequestBody(description = "optional: {reason, requestedBy, requestId}")
    @APIResponse(responseCode = "200", description = "Cancelled; nothing was changed")
    @APIResponse(responseCode = "400", description = "The body is malformed or invalid")
    @APIResponse(responseCode = "401", description = "Missing or wrong bearer token")
    @APIResponse(responseCode = "403", description = "The caller may not cancel rotations of this credential (RBAC "
            + "verb confirm)")
    @APIResponse(responseCode = "404", description = "No such rotation")
    @APIResponse(responseCode = "409", description = "The rotation is not waiting for its operator, or was confirmed")
    public Response cancel(@PathParam("id") String rotationId, byte[] body,
            @HeaderParam("Idempotency-Key") String idempotencyKey) throws InterruptedException {
        CancellationBody parsed = body == null || body.length == 0 ? CancellationBody.EMPTY
                : json.read(body, CancellationBody.class);
        Caller caller = Access.caller(identity);
        RotationSummary rotation = find(rotationId, caller);
        if (rotation == null) {
            return unknown(rotationId);
        }
        CredentialRef credential = CredentialRef.parse(rotation.credential());
        access.require(caller, Verb.CONFIRM, credential);
        String requestId = requestId(parsed.requestId(), idempotencyKey, "cancel");
        Optional<RotationOutcome> earlier = log.answer(credential, requestId);
        if (earlier.isPresent()) {
            return respond(earlier.get(), requestId, credential, rotationId);
        }
        Optional<String> refusal = notWaiting(rotation, "cancelled");
        if (refusal.isPresent()) {
            return notWaiting(rotationId, refusal.get());
        }
        CancelRotation request = Validator.requireValid(new CancelRotation(requestId, rotationId, credential,
                parsed.reasonFor(caller.actor()), caller.actor()));
        return submit(request, rotationId);
    }

    /** The rotation, if the caller may see it: one it may not see is as unknown as one that does not exist. */
    private RotationSummary find(String rotationId, Caller caller) {
        return log.get(rotationId).map(d -> d.summary()).filter(r -> access.viewable(caller).test(r.credential()))
                .orElse(null);
    }

    /** Why this replica already knows the request cannot succeed; the owner checks again with the saga's state. */
    private static Optional<String> notWaiting(RotationSummary r, String verb) {
        if (r.dryRun()) {
            return Optional.of("rotation " + r.rotationId() + " is a dry run; there is nothing to " + verb(verb));
        }
        if (!Strategy.MANUAL.value().equals(r.strategy()) && r.strategy() != null) {
            return Optional.of("rotation " + r.rotationId() + " of " + r.credential() + " runs with strategy "
                    + r.strategy() + "; only a manual rotation waiting for its operator can be " + verb);
        }
        if (r.endedAt() != null) {
            return Optional.of("rotation " + r.rotationId() + " of " + r.credential() + " has ended (" + r.state()
                    + "); only a manual rotation waiting for its operator can be " + verb);
        }
        if (!WAITING.contains(r.state())) {
            return Optional.of("rotation " + r.rotationId() + " of " + r.credential() + " is " + r.state()
                    + ", no longer waiting for its operator; it can no longer be " + verb);
        }
        if (r.operator() != null && r.operator().confirmed()) {
            return Optional.of("rotation " + r.rotationId() + " of " + r.credential() + " was already confirmed by "
                    + r.operator().confirmedBy() + "; it can no longer be " + verb);
        }
        return Optional.empty();
    }

    private static String verb(String participle) {
        return participle.equals("confirmed") ? "confirm" : "cancel";
    }

    /** Puts the request on rotor.requests and waits for the owner's answer, as the rotation door does. */
    private Response submit(RotationRequest request, String rotationId) throws InterruptedException {
        CompletableFuture<RotationOutcome> answer = log.awaitAnswer(request.credential(), request.requestId());
        long wait = config.api().answerTimeout().toMillis();
        try {
            publisher.publish(request).toCompletableFuture().get(wait, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            answer.cancel(false);
            LOG.warnf("request %s for rotation %s could not be queued: %s", request.requestId(), rotationId,
                    e.getClass().getSimpleName());
            return Problem.of(503, "UNAVAILABLE", "Service unavailable", "the request could not be queued on "
                    + "rotor.requests; try again with the same requestId").withRotationId(rotationId).response();
        }
        try {
            return respond(answer.get(wait, TimeUnit.MILLISECONDS), request.requestId(), request.credential(),
                    rotationId);
        } catch (TimeoutException e) {
            answer.cancel(false);
            return Response.accepted(new RotationAccepted(rotationId, request.requestId(),
                    request.credential().asString(), "PENDING", null)).type(MediaType.APPLICATION_JSON)
                    .location(URI.create("/api/v1/rotations/" + rotationId)).build();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Response respond(RotationOutcome outcome, String requestId, CredentialRef ref, String rotationId) {
        String credential = ref.asString();
        if (outcome instanceof RotationConfirmed c && c.rotationId().equals(rotationId)) {
            return Response.accepted(new RotationAccepted(rotationId, requestId, credential, "CONFIRMED",
                    null)).type(MediaType.APPLICATION_JSON).location(URI.create("/api/v1/rotations/" + rotationId))
                    .build();
        }
        if (outcome instanceof RotationCancelled c && c.rotationId().equals(rotationId)) {
            return Response.ok(new RotationAccepted(rotationId, requestId, credential, "CANCELLED", null))
                    .type(MediaType.APPLICATION_JSON).build();
        }
        if (outcome instanceof RotationRejected r) {
            return Problem.of(RotationsResource.status(r.reason()), r.reason().name(),
                    RotationsResource.title(r.reason()), r.message()).withRotationId(rotationId).response();
        }
        // A repeated request id that once meant something else (a rotation request, another rotation).
        return Problem.of(400, "INVALID_REQUEST", "Invalid request", "request id " + requestId
                + " was already used for a different request; use a new id for each request")
                .withRotationId(rotationId).response();
    }

    private static Response unknown(String rotationId) {
        return Problem.of(404, "NOT_FOUND", "Unknown rotation", "no rotation " + abbreviate(rotationId) + " is known "
                + "to the orchestrator (never started, or older than what it keeps)").response();
    }

    private static Response notWaiting(String rotationId, String detail) {
        return Problem.of(409, "ROTATION_NOT_WAITING", "Rotation not waiting for its operator", detail)
                .withRotationId(rotationId).response();
    }

    private static String requestId(String fromBody, String idempotencyKey, String kind) {
        return fromBody != null ? fromBody : idempotencyKey != null ? idempotencyKey
                : "api-" + kind + "-" + UUID.randomUUID();
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    /** The values of a rotation are sealed for its platform's rotator. */
    private static Platform platformOf(RotationSummary rotation) {
        return Arrays.stream(Platform.values()).filter(p -> p.value().equals(rotation.platform())).findFirst()
                .orElseThrow(() -> new IllegalStateException("rotation " + rotation.rotationId()
                        + " has no known platform (" + rotation.platform() + ")"));
    }
}
