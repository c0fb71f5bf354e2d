package io.rotor.configui.rotation;

import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.Change;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.LoginBudget;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Manual mode: an operator changed the password in the portal's Admin view and confirmed it; the command carries that
 * password, sealed. Rotor changes nothing on the portal. Where the credential has a recipe, the confirmed password is
 * proven first by the recipe's login steps in a fresh session, so that a mistyped confirmation fails here, before any
 * Secret is written or pod restarted; the orchestrator then waits for the operator again. Without a recipe there is
 * nothing to log in with, and the operator's word is taken (the step's details say so).
 *
 * <p>The proof runs in {@code apply} rather than {@code verify}: a refusal then counts as "nothing changed", which is
 * the truth, and the runtime does not try to undo a change Rotor never made.
 */
final class ManualConfirmation {

    private static final Logger LOG = Logger.getLogger(ManualConfirmation.class);

    private final Portals portals;
    private final LoginBudget budget;
    private final CurrentPassword passwords;
    private final boolean verify;

    ManualConfirmation(Portals portals, LoginBudget budget, CurrentPassword passwords, boolean verify) {
        this.portals = portals;
        this.budget = budget;
        this.passwords = passwords;
        this.verify = verify;
    }

    Applied apply(Rotation r) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("mode", "manual");
        Optional<Portal> portal = verify ? portals.find(r) : Optional.empty();
        if (portal.isPresent()) {
            prove(portal.get(), r);
            details.put("portal", Portals.key(portal.get().url()));
            details.put("verified", "login with the confirmed password");
        } else {
            details.put("verified", verify ? "no: the credential has no configUi.recipe to log in with"
                    : "no: rotor.configui.verify-confirmations is off");
        }
        Optional<SecretValue> previous = passwords.find(r.credential(), r.spec());
        details.put("seeded", Boolean.toString(previous.isEmpty()));
        LOG.infof("taking the confirmed admin password of %s into use (%s)", r.credential(), details.get("verified"));
        return new Applied(true, CredentialMaterial.password(r.newPassword()),
                previous.map(CredentialMaterial::password).orElse(r.oldValue()), details);
    }

    private void prove(Portal portal, Rotation r) {
        // Spent: the message says when Rotor checks a confirmed password again; confirm again after that.
        if (!portal.loginWorks(r.newPassword(), budget)) {
            throw new PlatformException(ConfigUiFailure.NEW_PASSWORD_REFUSED, "the password confirmed for rotation "
                    + r.rotationId() + " does not log in to " + portal.describe() + " (the recipe's login steps): it "
                    + "was mistyped, or not yet changed in the Admin view. Nothing was written; the rotation waits for "
                    + "its operator again: confirm with the password the portal has now, or cancel");
        }
    }

    /** Proven in {@code apply}; see the class comment. */
    void verify(Rotation r) {
        // Nothing left to prove.
    }

    /** Rotor changed nothing on the portal, so there is nothing to take back. */
    Change removeNew(Rotation r) {
        return Change.unchanged(Map.of("mode", "manual"));
    }
}
