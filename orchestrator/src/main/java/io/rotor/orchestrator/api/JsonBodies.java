package io.rotor.orchestrator.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every request that may carry a body says it is JSON, or is refused with 415 before any handler reads it: a form
 * post from another site (which a browser sends without a preflight) can then never be taken for an API call.
 */
public class JsonBodies {

    private static final Set<String> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    @ServerRequestFilter
    public Optional<Response> requireJson(ContainerRequestContext request) {
        if (!WITH_BODY.contains(request.getMethod())) {
            return Optional.empty();
        }
        MediaType type = request.getMediaType();
        if (type != null && "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"))) {
            return Optional.empty();
        }
        return Optional.of(Problem.of(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type",
                "send the body as Content-Type: application/json").response());
    }
}
