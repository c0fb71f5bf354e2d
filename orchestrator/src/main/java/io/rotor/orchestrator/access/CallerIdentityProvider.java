package io.rotor.orchestrator.access;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Turns a bearer token into a {@link SecurityIdentity} carrying its {@link Caller}; reviews may call the API server. */
@ApplicationScoped
public class CallerIdentityProvider implements IdentityProvider<KubernetesTokenRequest> {

    @Inject
    Callers callers;

    @Override
    public Class<KubernetesTokenRequest> getRequestType() {
        return KubernetesTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(KubernetesTokenRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            try {
                Caller caller = callers.authenticate(request.token());
                return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(caller.name()))
                        .addAttribute(Access.CALLER, caller).build();
            } catch (TokenRefused e) {
                throw new AuthenticationFailedException(e.getMessage());
            }
        });
    }
}
