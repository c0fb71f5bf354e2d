package io.rotor.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rotor.contracts.validation.Violation;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem body ({@code application/problem+json}). {@code reason} is Rotor's machine-readable code (a
 * {@code RejectionReason}, or {@code INVALID_REQUEST}, {@code UNAUTHORIZED}, {@code NOT_FOUND}); {@code violations}
 * name fields and rules, never submitted values.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String reason,
        String rotationId, List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String reason, String title, String detail) {
        return new Problem("urn:rotor:problem:" + reason.toLowerCase(java.util.Locale.ROOT).replace('_', '-'), title,
                status, detail, null, reason, null, null);
    }

    public Problem withViolations(List<Violation> list) {
        return new Problem(type, title, status, detail, instance, reason, rotationId, list);
    }

    public Problem withRotationId(String id) {
        return new Problem(type, title, status, detail, instance, reason, id, violations);
    }

    public Problem at(String path) {
        return new Problem(type, title, status, detail, path, reason, rotationId, violations);
    }

    public Response response() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
