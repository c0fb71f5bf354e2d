package io.rotor.orchestrator.query;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialStatus;
import io.rotor.contracts.credential.Schedule;
import io.rotor.contracts.validation.ValidationException;
import io.rotor.orchestrator.api.Problem;
import io.rotor.orchestrator.config.OrchestratorConfig;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.registry.RegisteredCredential;
import io.rotor.orchestrator.schedule.RotationScheduler;
import io.rotor.orchestrator.schedule.ScheduleCalculator;
import io.smallrye.mutiny.Multi;
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
import java.time.Duration;
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
public class QueryResource {

    @Inject
    RotationLog log;

    @Inject
    CredentialRegistry registry;

    @Inject
    OrchestratorConfig config;

    @Inject
    Clock clock;

    private final RotationScheduler scheduler = new RotationScheduler(new ScheduleCalculator());

    @GET
    @Path("/rotations")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rotations, newest first; filter by credential (namespace/name), state, requestId")
    public Page<RotationSummary> rotations(@QueryParam("credential") String credential,
            @QueryParam("state") String state, @QueryParam("requestId") String requestId,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0 || size < 1 || size > config.query().maxPageSize()) {
            throw ValidationException.of(page < 0 ? "page" : "size", page < 0 ? "must not be negative"
                    : "must be between 1 and " + config.query().maxPageSize());
        }
        Predicate<RotationSummary> filter = r -> true;
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
        return log.get(id).map(d -> Response.ok(d).type(MediaType.APPLICATION_JSON).build())
                .orElseGet(() -> Problem.of(404, "NOT_FOUND", "Not found", "no rotation " + id
                        + " in the event log's retention").response());
    }

    @GET
    @Path("/rotations/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-sent events: every rotation event as it happens (optionally of one credential)")
    public Multi<RotationEventView> stream(@QueryParam("credential") String credential) {
        // A slow dashboard misses events rather than holding up the others.
        Multi<RotationEventView> live = log.live().onOverflow().drop();
        if (credential == null) {
            return live;
        }
        String ref = CredentialRef.parse(credential).asString();
        return live.filter(e -> ref.equals(e.credential()));
    }

    @GET
    @Path("/credentials")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Watched ManagedCredentials: age, last outcome, next due")
    public List<CredentialView> credentials(@QueryParam("namespace") String namespace) {
        Instant now = clock.instant();
        return registry.all().stream()
                .filter(c -> namespace == null || namespace.equals(c.ref().namespace()))
                .sorted(Comparator.comparing(c -> c.ref().asString()))
                .map(c -> view(c, now)).toList();
    }

    private CredentialView view(RegisteredCredential c, Instant now) {
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
                        : "every " + schedule.interval());
    }
}
