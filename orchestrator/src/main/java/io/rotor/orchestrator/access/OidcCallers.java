package io.rotor.orchestrator.access;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.rotor.orchestrator.config.OrchestratorConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Gives an identity the OIDC extension verified its {@link Caller}: the token's user name and groups, each with the
 * configured prefix ({@code oidc:} by default, like the API server's {@code --oidc-username-prefix}), so that RBAC
 * bindings name OIDC users apart from the cluster's own and a token's {@code groups} cannot claim
 * {@code system:masters}.
 */
@ApplicationScoped
public class OidcCallers implements SecurityIdentityAugmentor {

    @Inject
    OrchestratorConfig config;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute(Access.CALLER) != null) {
            return Uni.createFrom().item(identity);
        }
        OrchestratorConfig.Oidc oidc = config.api().oidc();
        List<String> groups = identity.getRoles().stream().map(g -> oidc.groupsPrefix() + g).sorted().toList();
        Caller caller = new Caller(oidc.usernamePrefix() + identity.getPrincipal().getName(), null, groups,
                Caller.Source.OIDC);
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addAttribute(Access.CALLER, caller)
                .build());
    }
}
