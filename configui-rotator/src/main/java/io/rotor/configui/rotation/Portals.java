package io.rotor.configui.rotation;

import io.rotor.configui.recipe.RecipeRunner;
import io.rotor.contracts.credential.ConfigUiOptions;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.tls.EndpointTls;
import io.rotor.kit.tls.EndpointTlsResolver;
import java.net.URI;
import java.util.Optional;

/**
 * Finds a credential's portal: {@code configUi.portalUrl} and {@code configUi.recipe}, the admin user
 * ({@code configUi.adminUser}, else {@code identity.username}), and TLS from {@code endpoint} (its
 * {@code caSecretRef}, {@code insecureSkipTlsVerify} and {@code timeout}) through the kit's resolver, so the portal
 * is trusted exactly as every other platform is.
 */
final class Portals {

    private static final Endpoint NO_ENDPOINT = new Endpoint(null, null, null, null, null);

    private final EndpointTlsResolver tls;

    Portals(EndpointTlsResolver tls) {
        this.tls = tls;
    }

    /** Whether the credential has a portal and recipe to talk to. */
    static boolean configured(ManagedCredentialSpec spec) {
        ConfigUiOptions ui = spec.configUi();
        return ui != null && ui.portalUrl() != null && ui.recipe() != null;
    }

    Optional<Portal> find(Rotation r) {
        return configured(r.spec()) ? Optional.of(of(r)) : Optional.empty();
    }

    Portal of(Rotation r) {
        ManagedCredentialSpec spec = r.spec();
        if (!configured(spec)) {
            throw new PlatformException(ConfigUiFailure.PORTAL_NOT_CONFIGURED, "strategy " + spec.strategy().value()
                    + " needs configUi.portalUrl and configUi.recipe (the HTTP recipe mode); without them use strategy "
                    + "manual");
        }
        Endpoint endpoint = spec.endpoint() == null ? NO_ENDPOINT : spec.endpoint();
        EndpointTls settings = tls.resolve(r.credential(), endpoint);
        URI url = URI.create(spec.configUi().portalUrl());
        String user = user(spec);
        return new Portal(url, spec.configUi().recipe(), user,
                new RecipeRunner(settings.context(), endpoint.timeoutOrDefault()),
                "configui:" + key(url) + "|" + user);
    }

    static String user(ManagedCredentialSpec spec) {
        ConfigUiOptions ui = spec.configUi();
        if (ui != null && ui.adminUser() != null) {
            return ui.adminUser();
        }
        return spec.identity() == null ? null : spec.identity().username();
    }

    /** The portal's origin: credentials on one portal share the runtime's per-endpoint limit. */
    static String key(URI url) {
        return url.getScheme() + "://" + url.getAuthority();
    }
}
