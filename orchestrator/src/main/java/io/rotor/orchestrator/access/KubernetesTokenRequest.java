package io.rotor.orchestrator.access;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A bearer token for {@link CallerIdentityProvider} alone (the local token, then TokenReview). Its own type, so that
 * an OIDC token is never sent to the Kubernetes API server by the OIDC extension's requests, and OIDC's identity
 * provider never sees this one.
 */
final class KubernetesTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    KubernetesTokenRequest(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }

    @Override
    public String toString() {
        return "KubernetesTokenRequest[redacted]";
    }
}
