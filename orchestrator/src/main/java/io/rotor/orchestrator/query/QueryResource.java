package io.rotor.orchestrator.query;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialStatus;
import io.rotor.contracts.credential.Schedule;
import io.rotor.contracts.validation.ValidationException;
import io.rotor.orchestrator.access.Access;
import io.rotor.orchestrator.access.Caller;
import io.rotor.orchestrator.api.Problem;
import io.rotor.orchestrator.config.OrchestratorConfig;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.registry.RegisteredCredential;
import io.rotor.orchestrator.schedule.RotationScheduler;
import io.rotor.orchestrator.schedule.ScheduleCalculator;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** What dashboards and people ask: rotations (with timelines), credentials, and a live stream of rotation events. */
@Path("/api/v1")
@Tag(name = "queries")
@SecurityRequirement(name = "bearer")
@Authenticated
public class QueryResource {

    @Inject
    RotationLog log;

    @Inject
    CredentialRegistry registry;

    @Inject
    OrchestratorConfig config;

    @Inject
    Clock clock;

    @Inject
    Access access;

    @Inject
    SecurityIdentity identity;

    private final RotationScheduler scheduler = new RotationScheduler(new ScheduleCalculator());

    @GET
    @Path("/rotations")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rotations the caller may view (RBAC get on the credential), newest first; filter by "
            + "credential (namespace/name), state, requestId")
    public Page<RotationSummary> rotations(@QueryParam("credential") String credential,
            @QueryParam("state") String state, @QueryParam("requestId") String requestId,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0 || size < 1 || size > config.query().maxPageSize()) {
            throw ValidationException.of(page < 0 ? "page" : "size", page < 0 ? "must not be negative"
                    : "must be between 1 and " + config.query().maxPageSize());
        }
        Predicate<String> viewable = access.viewable(Access.caller(identity));
        Predicate<RotationSummary> filter = r -> viewable.test(r.credential());
        if (credential != null) {
            String ref = CredentialRef.parse(credential).asString();
            filter = filter.and(r -> ref.equals(r.credential()));
        }
        if (state != null) {
            String wanted = state.toUpperCase(Locale.ROOT);
            filter = filter.and(r -> wanted.equals(r.state()));
        }
        if (requestId != null) {
            filter = filter.and(r -> requestId.equals(r.requestId()) || log.get(r.rotationId())
                    .map(d -> d.joinedRequests().contains(requestId)).orElse(false));
        }
        return log.list(filter, page, size);
    }

    @GET
    @Path("/rotations/{id}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "One rotation with its timeline of steps")
    public Response rotation(@PathParam("id") String id) {
        // One the caller may not view is answered as if it did not exist.
        return log.get(id).filter(d -> access.viewable(Access.caller(identity)).test(d.summary().credential()))
                .map(d -> Response.ok(d).type(MediaType.APPLICATION_JSON).build())
                .orElseGet(() -> Problem.of(404, "NOT_FOUND", "Not found", "no rotation " + id
                        + " in the event log's retention").response());
    }

    @GET
    @Path("/rotations/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-sent events: every rotation event the caller may view as it happens (optionally "
            + "of one credential)")
    public Multi<RotationEventView> stream(@QueryParam("credential") String credential) {
        Predicate<String> viewable = access.viewable(Access.caller(identity));
        // A slow dashboard misses events rather than holding up the others; the access check may ask the API
        // server, so it runs off the thread that feeds every stream.
        Multi<RotationEventView> live = log.live().onOverflow().drop().emitOn(Infrastructure.getDefaultWorkerPool())
                .filter(e -> viewable.test(e.credential()));
        if (credential == null) {
            return live;
        }
        String ref = CredentialRef.parse(credential).asString();
        return live.filter(e -> ref.equals(e.credential()));
    }

    @GET
    @Path("/whoami")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Who the API takes the caller for (the name recorded in the audit trail)")
    public CallerView whoami() {
        Caller caller = Access.caller(identity);
        return new CallerView(caller.name(), caller.actor(), caller.groups(), caller.source().name());
    }

    @GET
    @Path("/credentials")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Watched ManagedCredentials the caller may view: age, last outcome, next due, and what else "
            + "the caller may do with each (rotate, confirm)")
    public List<CredentialView> credentials(@QueryParam("namespace") String namespace) {
        Instant now = clock.instant();
        Caller caller = Access.caller(identity);
        Predicate<String> viewable = access.viewable(caller);
        return registry.all().stream()
                .filter(c -> namespace == null || namespace.equals(c.ref().namespace()))
                .filter(c -> viewable.test(c.ref().asString()))
                .sorted(Comparator.comparing(c -> c.ref().asString()))
                .map(c -> view(c, now, access.actions(caller, c.ref()))).toList();
    }

    private CredentialView view(RegisteredCredential c, Instant now, List<String> actions) {
        ManagedCredentialStatus status = c.status();
        Optional<RotationSummary> latest = log.latest(c.ref());
        String phase = latest.filter(r -> r.endedAt() == null).map(RotationSummary::state)
                .orElse(status != null && status.phase() != null ? status.phase() : "Idle");
        CredentialClock times = CredentialClock.of(c, scheduler, now);
        Schedule schedule = c.valid() ? c.spec().schedule() : null;
        return new CredentialView(c.ref().asString(), c.valid() ? c.spec().platform().value() : null,
                c.valid() ? c.spec().strategy().value() : null, c.valid(), c.problems().isEmpty() ? null
                : c.problems(), phase, status == null ? null : status.lastRotationId(),
                status == null ? null : status.lastOutcome(), times.lastSuccess(), times.age(), times.nextDue(),
                schedule == null ? null : schedule.cron() != null ? "cron " + schedule.cron()
                        : "every " + schedule.interval(), actions);
    }
}
