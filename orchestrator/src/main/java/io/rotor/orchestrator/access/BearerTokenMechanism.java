package io.rotor.orchestrator.access;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads {@code Authorization: Bearer <token>} for Quarkus' HTTP security, which runs for every request before routing
 * and decides by its permission rules (application.properties): everything but the dashboard's static shell needs an
 * identity. Who the token belongs to is {@link CallerIdentityProvider}'s question (local token, then TokenReview).
 *
 * <p>It runs before the OIDC extension's mechanism. When an OIDC issuer is turned on ({@code quarkus.oidc.tenant-enabled}
 * with {@code quarkus.oidc.auth-server-url}), a token the Kubernetes API server does not accept is left to OIDC rather
 * than refused here; otherwise it is refused (401).
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    /** Ahead of the OIDC extension's mechanism (mechanisms run from the highest priority down). */
    static final int PRIORITY = DEFAULT_PRIORITY + 500;

    private static final String PREFIX = "Bearer ";

    @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false")
    boolean oidc;
    private static final ChallengeData CHALLENGE = new ChallengeData(401, "WWW-Authenticate",
            "Bearer realm=\"rotor\"");

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            // Anonymous: the permission rules answer 401 wherever an identity is needed.
            return Uni.createFrom().nullItem();
        }
        KubernetesTokenRequest request = new KubernetesTokenRequest(header.substring(PREFIX.length()).trim());
        Uni<SecurityIdentity> identity = identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request,
                context));
        if (!oidc) {
            return identity;
        }
        return identity.onFailure(AuthenticationFailedException.class).recoverWithNull();
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(CHALLENGE);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(KubernetesTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION,
                "bearer"));
    }
}
