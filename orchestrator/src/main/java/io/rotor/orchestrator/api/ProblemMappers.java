package io.rotor.orchestrator.api;

import io.rotor.contracts.validation.ValidationException;
import io.rotor.orchestrator.access.NotPermitted;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error the API returns is a problem body; none carries a submitted value or a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(ValidationException e) {
        return Problem.of(400, "INVALID_REQUEST", "Invalid request", "the request has "
                + e.violations().size() + " problem(s); see violations").withViolations(e.violations()).response();
    }

    @ServerExceptionMapper
    public Response notPermitted(NotPermitted e) {
        return Problem.of(403, "FORBIDDEN", "Forbidden", e.getMessage()).response();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.of(404, "NOT_FOUND", "Not found", "no such resource").response();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return Problem.of(status, status >= 500 ? "INTERNAL" : "INVALID_REQUEST",
                Response.Status.fromStatusCode(status) == null ? "Error"
                        : Response.Status.fromStatusCode(status).getReasonPhrase(),
                status >= 500 ? "the orchestrator could not handle the request" : e.getMessage()).response();
    }
}
