package io.rotor.orchestrator.intake;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.envelope.StrictJson;
import io.rotor.contracts.event.RejectionReason;
import io.rotor.contracts.event.RotationCoalesced;
import io.rotor.contracts.event.RotationOutcome;
import io.rotor.contracts.event.RotationPlanned;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.validation.Validator;
import io.rotor.kit.messaging.EventPublisher;
import io.rotor.orchestrator.access.Access;
import io.rotor.orchestrator.access.Caller;
import io.rotor.orchestrator.access.Verb;
import io.rotor.orchestrator.api.Problem;
import io.rotor.orchestrator.config.OrchestratorConfig;
import io.rotor.orchestrator.query.RotationLog;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
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
 * The REST door for rotation requests. It behaves exactly like the topic door because it is the topic door: the
 * request goes on {@code rotor.requests} like any other and the orchestrator member that owns the credential answers
 * it on {@code rotor.events}; this endpoint waits for that answer and turns it into HTTP. (Rooted at {@code /api/v1}
 * like the query resource: a longer class path would hide the query API's {@code /rotations/...} paths.)
 */
@Path("/api/v1")
@Tag(name = "rotations")
@SecurityRequirement(name = "bearer")
@Authenticated
public class RotationsResource {

    private static final Logger LOG = Logger.getLogger(RotationsResource.class);

    private final StrictJson json = new StrictJson();

    @Inject
    EventPublisher publisher;

    @Inject
    RotationLog log;

    @Inject
    OrchestratorConfig config;

    @Inject
    Access access;

    @Inject
    SecurityIdentity identity;

    @POST
    @Path("/rotations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Request a rotation (or a dry run) of a ManagedCredential")
    @RequestBody(description = "{credential, reason, dryRun, requestId, onConflict, requestedBy}")
    @APIResponse(responseCode = "202", description = "Started, or joined the rotation in flight; Location names it")
    @APIResponse(responseCode = "200", description = "Dry run: the plan; nothing changed")
    @APIResponse(responseCode = "400", description = "The body is malformed or invalid")
    @APIResponse(responseCode = "401", description = "Missing or wrong bearer token")
    @APIResponse(responseCode = "403", description = "The caller may not rotate this credential (RBAC verb rotate)")
    @APIResponse(responseCode = "404", description = "No such ManagedCredential in a watched namespace")
    @APIResponse(responseCode = "409", description = "A rotation is in flight and onConflict is REJECT")
    @APIResponse(responseCode = "422", description = "The credential's spec is invalid, or its platform has no rotator")
    public Response request(byte[] body, @HeaderParam("Idempotency-Key") String idempotencyKey)
            throws InterruptedException {
        RotationRequestBody parsed = json.read(body == null ? new byte[0] : body, RotationRequestBody.class);
        Validator.requireValid(parsed);
        Caller caller = Access.caller(identity);
        // Before anything is published: a dry run also needs the right to rotate.
        access.require(caller, Verb.ROTATE, CredentialRef.parse(parsed.credential()));
        RotationRequested request = Validator.requireValid(parsed.toRequest(idempotencyKey, caller.actor()));
        CompletableFuture<RotationOutcome> answer = log.awaitAnswer(request.credential(), request.requestId());
        try {
            publisher.publish(request).toCompletableFuture()
                    .get(config.api().answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            answer.cancel(false);
            LOG.warnf("request %s for %s could not be queued: %s", request.requestId(), request.credential(), e);
            return Problem.of(503, "UNAVAILABLE", "Service unavailable",
                    "the request could not be queued on rotor.requests; try again with the same requestId")
                    .response();
        }
        try {
            return respond(answer.get(config.api().answerTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            answer.cancel(false);
            return Response.accepted(new RotationAccepted(null, request.requestId(), request.credential().asString(),
                    "PENDING", null)).location(URI.create("/api/v1/rotations?credential="
                    + request.credential().asString() + "&requestId=" + request.requestId())).build();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    static Response respond(RotationOutcome outcome) {
        if (outcome instanceof RotationStarted s) {
            return accepted(s.rotationId(), s.requestId(), s.credential().asString(), "STARTED");
        }
        if (outcome instanceof RotationCoalesced c) {
            return accepted(c.rotationId(), c.requestId(), c.credential().asString(), "COALESCED");
        }
        if (outcome instanceof RotationPlanned p) {
            return Response.ok(new RotationAccepted(p.rotationId(), p.requestId(), p.credential().asString(),
                    "PLANNED", p.plan())).type(MediaType.APPLICATION_JSON).build();
        }
        RotationRejected r = (RotationRejected) outcome;
        return Problem.of(status(r.reason()), r.reason().name(), title(r.reason()), r.message())
                .withRotationId(r.rotationId()).response();
    }

    private static Response accepted(String rotationId, String requestId, String credential, String status) {
        return Response.accepted(new RotationAccepted(rotationId, requestId, credential, status, null))
                .type(MediaType.APPLICATION_JSON)
                .location(URI.create("/api/v1/rotations/" + rotationId)).build();
    }

    static int status(RejectionReason reason) {
        return switch (reason) {
            case UNKNOWN_CREDENTIAL -> 404;
            case ROTATION_IN_FLIGHT, ROTATION_NOT_WAITING, STATE_UNREADABLE -> 409;
            case INVALID_SPEC, NO_ROTATOR -> 422;
            case INVALID_REQUEST -> 400;
            case NOT_AUTHORIZED -> 403;
        };
    }

    static String title(RejectionReason reason) {
        return switch (reason) {
            case UNKNOWN_CREDENTIAL -> "Unknown credential";
            case ROTATION_IN_FLIGHT -> "Rotation in flight";
            case ROTATION_NOT_WAITING -> "Rotation not waiting for its operator";
            case INVALID_SPEC -> "Invalid ManagedCredential";
            case NO_ROTATOR -> "No rotator for the platform";
            case INVALID_REQUEST -> "Invalid request";
            case NOT_AUTHORIZED -> "Not authorized";
            case STATE_UNREADABLE -> "Saga state unreadable";
        };
    }
}
