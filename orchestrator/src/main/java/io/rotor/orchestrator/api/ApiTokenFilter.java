package io.rotor.orchestrator.api;

import io.rotor.orchestrator.config.OrchestratorConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every call to the REST layer (the API under {@code /api/}, however its path is spelled) needs
 * {@code Authorization: Bearer <token>} with the configured token ({@code rotor.orchestrator.api.token}); health and
 * the OpenAPI document under {@code /q/}, and the dashboard's static files, are not served by it. Without a
 * configured token the API is closed. The comparison takes the same time however much of a guess is right.
 */
public class ApiTokenFilter {

    private static final Logger LOG = Logger.getLogger(ApiTokenFilter.class);
    private static final String PREFIX = "Bearer ";

    private final byte[] token;

    @Inject
    public ApiTokenFilter(OrchestratorConfig config) {
        Optional<String> configured = config.api().token().filter(t -> !t.isBlank());
        this.token = configured.map(t -> t.trim().getBytes(StandardCharsets.UTF_8)).orElse(null);
        if (token == null) {
            LOG.warn("no rotor.orchestrator.api.token configured: the REST API answers 401 to every call");
        }
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        // Every request that reaches the REST layer needs the token, whatever its path looks like: the path this
        // filter sees is not the one routing resolves ("/%2e/api/v1/..." routes to the API), so deciding by path let
        // such requests through. Health, metrics, OpenAPI and the dashboard's files are served outside this layer.
        String path = request.getUriInfo().getRequestUri().getRawPath();
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Optional.of(unauthorized(path, "send the API token as Authorization: Bearer <token>"));
        }
        byte[] presented = header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (token == null || !MessageDigest.isEqual(token, presented)) {
            return Optional.of(unauthorized(path, "the bearer token is not valid"));
        }
        return Optional.empty();
    }

    private static Response unauthorized(String path, String detail) {
        Problem problem = Problem.of(401, "UNAUTHORIZED", "Unauthorized", detail).at(path);
        return Response.status(401).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE,
                "Bearer realm=\"rotor\"").entity(problem).build();
    }
}
