package io.rotor.configui.rotation;

import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.Strategy;
import io.rotor.kit.lookup.SecretLookup;
import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.Change;
import io.rotor.kit.participant.PlatformAdapter;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.kit.tls.EndpointTlsResolver;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * The API-management Config UI's admin password for the kit's participant runtime: HTTP recipe mode (strategy
 * {@code replace}, {@link RecipeRotation}) and operator-confirmed manual mode ({@link ManualConfirmation}). Neither
 * strategy overlaps old and new, so there is never an old value to revoke.
 */
public final class ConfigUiAdapter implements PlatformAdapter {

    private final RecipeRotation recipes;
    private final ManualConfirmation confirmations;

    /** @param verifyConfirmations prove a manual confirmation by the recipe's login where the credential has one */
    public ConfigUiAdapter(SecretLookup secrets, LoginBudget budget, boolean verifyConfirmations) {
        Portals portals = new Portals(new EndpointTlsResolver(secrets));
        this.recipes = new RecipeRotation(portals, budget);
        this.confirmations = new ManualConfirmation(portals, budget, new CurrentPassword(secrets),
                verifyConfirmations);
    }

    @Override
    public Platform platform() {
        return Platform.CONFIGUI;
    }

    @Override
    public Set<Strategy> strategies() {
        return Set.of(Strategy.REPLACE, Strategy.MANUAL);
    }

    @Override
    public String endpointKey(ManagedCredentialSpec spec) {
        return spec.configUi() != null && spec.configUi().portalUrl() != null
                ? "configui:" + Portals.key(URI.create(spec.configUi().portalUrl()))
                : "configui:manual";
    }

    @Override
    public Applied apply(Rotation rotation) {
        return manual(rotation) ? confirmations.apply(rotation) : recipes.apply(rotation);
    }

    @Override
    public void verify(Rotation rotation) {
        if (manual(rotation)) {
            confirmations.verify(rotation);
        } else {
            recipes.verify(rotation);
        }
    }

    /** A replaced password leaves nothing to retire; the runtime never asks under these strategies anyway. */
    @Override
    public Change revoke(Rotation rotation) {
        return Change.unchanged(Map.of("strategy", rotation.spec().strategy().value()));
    }

    @Override
    public Change removeNew(Rotation rotation) {
        return manual(rotation) ? confirmations.removeNew(rotation) : recipes.removeNew(rotation);
    }

    private static boolean manual(Rotation rotation) {
        return rotation.spec().strategy() == Strategy.MANUAL;
    }
}
