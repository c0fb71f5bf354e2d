package io.rotor.openstack.rotation;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.Change;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.timer.Timers;
import io.rotor.openstack.keystone.DomainSelector;
import io.rotor.openstack.keystone.KeystoneException;
import io.rotor.openstack.keystone.KeystoneException.Reason;
import io.rotor.openstack.keystone.Token;
import io.rotor.openstack.keystone.UserSelector;
import io.rotor.openstack.rotation.KeystoneEndpoints.Connection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * A Keystone user's password, strategy {@code replace}: one password at a time, so consumers fail between the change
 * and their restart, and the saga only goes forward.
 *
 * <p>Self-service (the default): {@code POST /v3/users/{id}/password} with the current password from the
 * credential's first Secret; the user id comes from the spec or, given a name and domain, from a login (remembered
 * afterwards). Admin mode ({@code keystone.adminSecretRef}): {@code PATCH /v3/users/{id}} as an administrator, for
 * users whose current password is unknown; Keystone then applies password_regex but neither history nor minimum age.
 *
 * <p>Idempotent without costing a failed login on the normal path: the change is tried with the current password
 * first; only when Keystone refuses it does the adapter check whether the new password is already in place (a
 * redelivered command), which then counts as done, unchanged. A refused current password is never retried: Keystone
 * counts it towards the user's lockout.
 */
final class PasswordRotation implements StrategyRotation {

    private static final Logger LOG = Logger.getLogger(PasswordRotation.class);

    private final KeystoneEndpoints endpoints;
    private final Logins logins;
    private final Timers timers;
    private final KeystoneSettings settings;
    private final Map<String, String> userIds = new ConcurrentHashMap<>();
    private final Map<String, Instant> changedAt = new ConcurrentHashMap<>();

    PasswordRotation(KeystoneEndpoints endpoints, Logins logins, Timers timers, KeystoneSettings settings) {
        this.endpoints = endpoints;
        this.logins = logins;
        this.timers = timers;
        this.settings = settings;
    }

    @Override
    public Applied apply(Rotation r) {
        Connection c = connect(r);
        return adminMode(r) ? applyAsAdmin(c, r) : applyAsUser(c, r);
    }

    private Applied applyAsUser(Connection c, Rotation r) {
        SecretValue current = currentPassword(r);
        SecretValue next = r.newPassword();
        UserSelector user = user(r);
        String account = Logins.account(c, user);
        logins.requireBudget(account, user.toString());
        try {
            String userId = knownUserId(c, user).orElse(null);
            if (userId == null) {
                Optional<String> resolved = resolveByLogin(c, user, account, current);
                if (resolved.isEmpty()) {
                    return alreadyChangedOrRefused(c, r, user, account);
                }
                userId = resolved.get();
            }
            String id = userId;
            try {
                // Keystone counts a wrong original_password as a failed login: counted before it is sent.
                logins.counted(account, c, () -> {
                    c.client().changePassword(id, current, next);
                    return null;
                });
            } catch (KeystoneException e) {
                if (e.reason() == Reason.AUTHENTICATION_FAILED) {
                    return alreadyChangedOrRefused(c, r, UserSelector.byId(id), account);
                }
                // No answer: the change may have happened; if the step is given up, removeNew puts the old one back.
                throw e.reason() == Reason.TIMEOUT ? KeystoneFailure.from(e).afterChange() : KeystoneFailure.from(e);
            }
            changedAt.put(key(r), timers.now());
            LOG.infof("changed the password of Keystone user %s (self-service)", id);
            return applied(true, r, id, "self-service");
        } catch (KeystoneException e) {
            throw KeystoneFailure.from(e);
        }
    }

    /**
     * The id of a user given by name, from a login with the current password; empty when Keystone refuses it. A
     * user-level login is the only way without an administrator: admin mode looks names up with
     * {@code GET /v3/users?name=&domain_id=} instead and never logs in with the user's possibly expired password.
     */
    private Optional<String> resolveByLogin(Connection c, UserSelector user, String account, SecretValue current) {
        try {
            return logins.attempt(account, c, () -> c.client().login(user, current, null))
                    .map(token -> remember(c, user, token.userId()));
        } catch (KeystoneException e) {
            return Optional.of(idOfExpired(c, user, e));
        }
    }

    /**
     * A login to learn a user's id that Keystone answered "password is expired": the password is right, Keystone
     * names the id, and an expired password may still be changed by its user ({@code identity/core.py
     * change_password}) — which is what the rotation is about to do. Anything else is the failure it is.
     */
    private String idOfExpired(Connection c, UserSelector user, KeystoneException e) {
        if (e.reason() != Reason.PASSWORD_EXPIRED) {
            throw e;
        }
        String id = e.userIdInMessage().orElseThrow(() -> new PlatformException(KeystoneFailure.PASSWORD_EXPIRED,
                e.getMessage() + "; Keystone did not name the user's id, which a change of an expired password "
                        + "needs: set spec.identity.userId, or rotate in admin mode (keystone.adminSecretRef)", e));
        LOG.infof("the current password of Keystone user %s is expired; changing it", id);
        return remember(c, user, id);
    }

    /** After Keystone refused the current password: done already (a redelivery), or a permanent failure. */
    private Applied alreadyChangedOrRefused(Connection c, Rotation r, UserSelector user, String account) {
        if (logins.allows(account)) {
            Optional<Token> withNew = logins.attempt(account, c, () -> c.client().login(user, r.newPassword(), null));
            if (withNew.isPresent()) {
                String id = remember(c, user(r), withNew.get().userId());
                LOG.infof("the new password of Keystone user %s is already in place; nothing changed", id);
                return applied(false, r, id, "self-service");
            }
        }
        forget(c, user(r));
        throw new PlatformException(KeystoneFailure.CURRENT_PASSWORD_REFUSED, "Keystone refused the current password "
                + "of " + user + " (read from " + firstSecret(r) + "), and the new one is not in place either: the "
                + "Secret holds a wrong password, the user does not exist, it is disabled (a login of a disabled user "
                + "gets the same answer; spec.identity.userId lets Rotor tell, through the change itself), or it is "
                + "locked out (Keystone answers all four with the same 401). Not retried: each refused login counts "
                + "towards Keystone's lockout. If the password is unknown, rotate in admin mode "
                + "(keystone.adminSecretRef). If it is locked out: "
                + KeystoneFailure.UNLOCK);
    }

    private Applied applyAsAdmin(Connection c, Rotation r) {
        try {
            Token admin = logins.admin(c, r);
            String userId = userIdAsAdmin(c, r, admin);
            String account = Logins.account(c, UserSelector.byId(userId));
            // A redelivered command: the new password may be in place already. Probing costs a failed login when it
            // is not, which the verifying login right after the change resets; skipped when the budget is spent.
            if (logins.allows(account) && logins.attempt(account, c,
                    () -> c.client().login(UserSelector.byId(userId), r.newPassword(), null)).isPresent()) {
                LOG.infof("the new password of Keystone user %s is already in place; nothing changed", userId);
                return applied(false, r, userId, "admin");
            }
            try {
                c.run(() -> c.client().resetPassword(admin, userId, r.newPassword()));
            } catch (KeystoneException e) {
                throw e.reason() == Reason.TIMEOUT ? KeystoneFailure.from(e).afterChange() : KeystoneFailure.from(e);
            }
            changedAt.put(key(r), timers.now());
            LOG.infof("reset the password of Keystone user %s (admin)", userId);
            return applied(true, r, userId, "admin");
        } catch (KeystoneException e) {
            throw KeystoneFailure.from(e);
        }
    }

    private String userIdAsAdmin(Connection c, Rotation r, Token admin) {
        Identity identity = r.spec().identity();
        if (identity.userId() != null) {
            return identity.userId();
        }
        UserSelector user = user(r);
        return knownUserId(c, user).orElseGet(() -> remember(c, user, c.call(() -> c.client()
                .findUser(admin, identity.username(), DomainSelector.parse(identity.domain())))
                .orElseThrow(() -> new PlatformException(KeystoneFailure.USER_NOT_FOUND, "Keystone at "
                        + c.client().url() + " has no " + user)).id()));
    }

    /**
     * Logs in with the new password and checks that Keystone accepts the token. The first login waits until the
     * change's second is over (Keystone revokes the user's tokens of that second too); a token that is revoked all
     * the same gets another second, a few times.
     */
    @Override
    public void verify(Rotation r) {
        Connection c = connect(r);
        Instant changed = changedAt.remove(key(r));
        if (changed != null) {
            waitUntil(changed.plus(settings.tokenRevocationWait()));
        }
        UserSelector user = knownUserId(c, user(r)).map(UserSelector::byId).orElse(user(r));
        String account = Logins.account(c, user(r));
        try {
            for (int attempt = 1; attempt <= settings.verifyAttempts(); attempt++) {
                Token token = logins.counted(account, c, () -> c.client().login(user, r.newPassword(), null));
                if (c.call(() -> c.client().isValid(token))) {
                    return;
                }
                LOG.infof("a token of %s issued with the new password was revoked (attempt %d of %d); waiting %s",
                        user, attempt, settings.verifyAttempts(), settings.tokenRevocationWait());
                waitUntil(timers.now().plus(settings.tokenRevocationWait()));
            }
        } catch (KeystoneException e) {
            if (e.reason() == Reason.AUTHENTICATION_FAILED) {
                throw new PlatformException(KeystoneFailure.NEW_VALUE_REFUSED, "Keystone refuses the new password "
                        + "of " + user + " (HTTP 401)", e);
            }
            if (e.reason() == Reason.PASSWORD_EXPIRED) {
                // Checked, not assumed: Keystone says "expired" only after the password matched.
                throw new PlatformException(KeystoneFailure.PASSWORD_EXPIRED, "Keystone holds the new password of "
                        + user + " (it matched) but has expired it at once: " + (adminMode(r) ? "with "
                        + "[security_compliance] change_password_upon_first_use a password an administrator sets "
                        + "must be changed by its user before it logs in. The new password is on Keystone and not "
                        + "usable by the workloads until then. Exempt the user (openstack user set "
                        + "--ignore-change-password-upon-first-use <user>) or rotate it self-service, then request "
                        + "the rotation again" : "Keystone does not expire a password its user just chose unless "
                        + "[security_compliance] password_expires_days or another administrator's reset says so; "
                        + "the new password is on Keystone"), e);
            }
            throw KeystoneFailure.from(e);
        }
        throw new PlatformException(KeystoneFailure.NEW_TOKENS_REVOKED, "Keystone accepts the new password of " + user
                + ", but revoked every token issued with it in " + settings.verifyAttempts() + " attempts "
                + settings.tokenRevocationWait() + " apart; is another process changing this user's password?");
    }

    /** A replaced password has no old value left on Keystone to retire. */
    @Override
    public Change revoke(Rotation r) {
        return Change.unchanged(Map.of("strategy", "replace"));
    }

    /**
     * Puts the old password back (the compensation for an apply given up): self-service with the new password as
     * the original, or as an administrator. Keystone's history and minimum-age rules may forbid it; then the new
     * password stays, and the saga's events still hold it sealed.
     */
    @Override
    public Change removeNew(Rotation r) {
        changedAt.remove(key(r));
        Optional<SecretValue> old = r.oldValue().get(CredentialField.PASSWORD);
        if (old.isEmpty()) {
            throw new PlatformException(KeystoneFailure.CURRENT_VALUE_INCOMPLETE, "cannot put the previous password "
                    + "of " + user(r) + " back: Rotor never knew it (" + firstSecret(r) + " held none); the new "
                    + "password stays on Keystone");
        }
        Connection c = connect(r);
        try {
            return adminMode(r) ? restoreAsAdmin(c, r, old.get()) : restoreAsUser(c, r, old.get());
        } catch (KeystoneException e) {
            PlatformException failure = KeystoneFailure.from(e);
            if (!failure.retriable()) {
                throw KeystoneFailure.withNote(failure, "; the new password stays on Keystone and the rotation's "
                        + "events hold it sealed");
            }
            throw failure;
        }
    }

    private Change restoreAsUser(Connection c, Rotation r, SecretValue old) {
        UserSelector user = user(r);
        String account = Logins.account(c, user);
        logins.requireBudget(account, user.toString());
        String userId = knownUserId(c, user).orElse(null);
        if (userId == null) {
            Optional<Token> withNew = logins.attempt(account, c, () -> c.client().login(user, r.newPassword(), null));
            if (withNew.isEmpty()) {
                return unchangedIfOldWorks(c, r, user, account, old);
            }
            userId = remember(c, user, withNew.get().userId());
        }
        String id = userId;
        try {
            logins.counted(account, c, () -> {
                c.client().changePassword(id, r.newPassword(), old);
                return null;
            });
        } catch (KeystoneException e) {
            if (e.reason() == Reason.AUTHENTICATION_FAILED) {
                return unchangedIfOldWorks(c, r, UserSelector.byId(id), account, old);
            }
            throw e;
        }
        LOG.infof("put the previous password of Keystone user %s back", id);
        return Change.changed(Map.of("keystoneUserId", id, "mode", "self-service"));
    }

    private Change unchangedIfOldWorks(Connection c, Rotation r, UserSelector user, String account, SecretValue old) {
        if (logins.allows(account) && logins.attempt(account, c, () -> c.client().login(user, old, null)).isPresent()) {
            return Change.unchanged(Map.of("mode", "self-service"));
        }
        throw new PlatformException(KeystoneFailure.CURRENT_PASSWORD_REFUSED, "Keystone accepts neither the new nor "
                + "the previous password of " + user + "; not retried (Keystone's lockout)");
    }

    private Change restoreAsAdmin(Connection c, Rotation r, SecretValue old) {
        Token admin = logins.admin(c, r);
        String userId = userIdAsAdmin(c, r, admin);
        String account = Logins.account(c, UserSelector.byId(userId));
        if (logins.allows(account) && logins.attempt(account, c,
                () -> c.client().login(UserSelector.byId(userId), r.newPassword(), null)).isEmpty()) {
            return Change.unchanged(Map.of("keystoneUserId", userId, "mode", "admin"));
        }
        c.run(() -> c.client().resetPassword(admin, userId, old));
        LOG.infof("put the previous password of Keystone user %s back (admin)", userId);
        return Change.changed(Map.of("keystoneUserId", userId, "mode", "admin"));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private Connection connect(Rotation r) {
        return endpoints.connect(r.credential(), r.spec().endpoint());
    }

    private static boolean adminMode(Rotation r) {
        return r.spec().keystone() != null && r.spec().keystone().adminMode();
    }

    private Applied applied(boolean changed, Rotation r, String userId, String mode) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("keystoneUserId", userId);
        details.put("mode", mode);
        CredentialMaterial previous = r.oldValue().get(CredentialField.PASSWORD).map(CredentialMaterial::password)
                .orElse(r.oldValue());
        return new Applied(changed, CredentialMaterial.password(r.newPassword()), previous, details);
    }

    private static SecretValue currentPassword(Rotation r) {
        return r.oldValue().get(CredentialField.PASSWORD).orElseThrow(() -> new PlatformException(
                KeystoneFailure.CURRENT_VALUE_INCOMPLETE, firstSecret(r) + " holds no current password, which a "
                        + "self-service change needs as Keystone's original_password; if it is unknown, rotate in "
                        + "admin mode (keystone.adminSecretRef)"));
    }

    static UserSelector user(Rotation r) {
        Identity identity = r.spec().identity();
        return identity.userId() != null ? UserSelector.byId(identity.userId())
                : UserSelector.byName(identity.username(), DomainSelector.parse(identity.domain()));
    }

    private Optional<String> knownUserId(Connection c, UserSelector user) {
        return user.id() != null ? Optional.of(user.id()) : Optional.ofNullable(userIds.get(c.key() + "|" + user));
    }

    private String remember(Connection c, UserSelector user, String id) {
        if (user.id() == null) {
            userIds.put(c.key() + "|" + user, id);
        }
        return id;
    }

    /** A user re-created under the same name gets a new id: look it up again next time. */
    private void forget(Connection c, UserSelector user) {
        if (user.id() == null) {
            userIds.remove(c.key() + "|" + user);
        }
    }

    private void waitUntil(Instant due) {
        timers.at(due).toCompletableFuture().join();
    }

    private static String key(Rotation r) {
        return r.rotationId() + "|" + r.credential();
    }

    static String firstSecret(Rotation r) {
        return "Secret " + r.credential().namespace() + "/" + r.spec().secretList().get(0).name();
    }
}
