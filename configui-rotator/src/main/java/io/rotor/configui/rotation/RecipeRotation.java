package io.rotor.configui.rotation;

import io.rotor.configui.recipe.RecipeFailure;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.Change;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.LoginBudget;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * HTTP recipe mode (strategy {@code replace}): the rotator logs in to the portal with the current password from the
 * Secret, runs the installation's change steps, and proves the change by logging in with the new password in a fresh
 * session. One password at a time: the old one stops working at once, so the saga only goes forward after this step.
 *
 * <p>Idempotent without costing a failed login on the normal path: the change is tried with the current password
 * first; only when the portal refuses that login does it check whether the new password is in place already (a
 * redelivered command), which then counts as done. A refused login is never retried (it may count towards the
 * portal's lockout), and every login is counted in the kit's durable {@link LoginBudget} before it is sent.
 */
final class RecipeRotation {

    private static final Logger LOG = Logger.getLogger(RecipeRotation.class);

    private final Portals portals;
    private final LoginBudget budget;
    /** Rotations whose change this process made, so a retry after a failed verification goes straight to the check. */
    private final Set<String> changed = ConcurrentHashMap.newKeySet();

    RecipeRotation(Portals portals, LoginBudget budget) {
        this.portals = portals;
        this.budget = budget;
    }

    Applied apply(Rotation r) {
        Portal portal = portals.of(r);
        SecretValue current = r.oldValue().get(CredentialField.PASSWORD).orElseThrow(() -> new PlatformException(
                ConfigUiFailure.CURRENT_VALUE_MISSING, "the Secret holds no current password to log in with"));
        if (changed.contains(key(r))) {
            requireBudget(portal);
            if (loginWorks(portal, r.newPassword())) {
                return applied(true, r, portal, "the new password was set by an earlier attempt");
            }
            changed.remove(key(r));
        }
        requireBudget(portal);
        try {
            portal.change(current, r.newPassword(), budget);
        } catch (RecipeFailure f) {
            if (f.reason() == RecipeFailure.Reason.LOGIN_REJECTED) {
                return alreadyChangedOrRefused(portal, r, f);
            }
            throw Portal.failure(f);
        }
        changed.add(key(r));
        LOG.infof("changed the admin password on %s through the recipe", portal.describe());
        return applied(true, r, portal, "changed through the recipe");
    }

    /** After the portal refused the current password: done already (a redelivery), or a permanent failure. */
    private Applied alreadyChangedOrRefused(Portal portal, Rotation r, RecipeFailure refusal) {
        if (budget.allows(portal.account()) && loginWorks(portal, r.newPassword())) {
            LOG.infof("the new admin password is already in place on %s; nothing changed", portal.describe());
            return applied(false, r, portal, "the new password was already in place");
        }
        throw new PlatformException(ConfigUiFailure.CURRENT_PASSWORD_REFUSED, "the portal refused the login with the "
                + "current password from " + CurrentPassword.where(r.credential(), r.spec().secretList().get(0))
                + " (" + refusal.getMessage() + "), and the new password does not log in either: the Secret does not "
                + "hold the portal's password (changed by hand?), the account is locked, or the recipe's login does "
                + "not match the portal. Not retried: a refused login may count towards the portal's lockout. "
                + "Nothing was changed.", refusal);
    }

    void verify(Rotation r) {
        Portal portal = portals.of(r);
        requireBudget(portal);
        if (!loginWorks(portal, r.newPassword())) {
            throw new PlatformException(ConfigUiFailure.NEW_PASSWORD_REFUSED, "the new password does not log in to "
                    + portal.describe() + " in a fresh session after the change");
        }
        changed.remove(key(r));
    }

    /**
     * Puts the previous password back (the compensation for an apply given up): by the same recipe, with the new
     * password as the current one. Unchanged when the previous password still works.
     */
    Change removeNew(Rotation r) {
        Portal portal = portals.of(r);
        boolean changedHere = changed.remove(key(r));
        Optional<SecretValue> previous = r.oldValue().get(CredentialField.PASSWORD);
        if (previous.isEmpty()) {
            throw new PlatformException(ConfigUiFailure.NEITHER_PASSWORD_WORKS, "cannot put the previous password of "
                    + portal.describe() + " back: Rotor never knew it");
        }
        requireBudget(portal);
        if (!changedHere && loginWorks(portal, previous.get())) {
            return Change.unchanged(Map.of("portal", Portals.key(portal.url())));
        }
        if (!loginWorks(portal, r.newPassword())) {
            if (changedHere && loginWorks(portal, previous.get())) {
                return Change.unchanged(Map.of("portal", Portals.key(portal.url())));
            }
            throw new PlatformException(ConfigUiFailure.NEITHER_PASSWORD_WORKS, "the portal accepts neither the new "
                    + "nor the previous admin password of " + portal.describe() + "; not retried (lockout). The new "
                    + "password stays sealed in the rotation's events");
        }
        try {
            portal.change(r.newPassword(), previous.get(), budget);
        } catch (RecipeFailure f) {
            throw Portal.failure(f);
        }
        LOG.infof("put the previous admin password of %s back", portal.describe());
        return Change.changed(Map.of("portal", Portals.key(portal.url())));
    }

    /** A login that may be refused, counted in the budget before it is sent. */
    private boolean loginWorks(Portal portal, SecretValue password) {
        return portal.loginWorks(password, budget);
    }

    private void requireBudget(Portal portal) {
        budget.require(portal.account(), portal.describe());
    }

    private static Applied applied(boolean changed, Rotation r, Portal portal, String how) {
        return new Applied(changed, CredentialMaterial.password(r.newPassword()),
                CredentialMaterial.password(r.oldPassword()), Map.of("mode", "recipe", "portal",
                        Portals.key(portal.url()), "verified", "login with the new password", "outcome", how));
    }

    private static String key(Rotation r) {
        return r.rotationId() + "|" + r.credential();
    }
}
