package io.rotor.openstack.rotation;

import io.rotor.contracts.credential.ApplicationCredentialOptions;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.Change;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.timer.Timers;
import io.rotor.openstack.keystone.ApplicationCredentialInfo;
import io.rotor.openstack.keystone.ApplicationCredentialSecret;
import io.rotor.openstack.keystone.CreatedApplicationCredential;
import io.rotor.openstack.keystone.KeystoneException;
import io.rotor.openstack.keystone.KeystoneException.Reason;
import io.rotor.openstack.keystone.NewApplicationCredential;
import io.rotor.openstack.keystone.Token;
import io.rotor.openstack.rotation.KeystoneEndpoints.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A Keystone application credential, strategy {@code new-identity}: a new credential (named
 * {@code <namePrefix>-<rotationId>}, with the secret the orchestrator generated and sealed, and the spec's roles,
 * lifetime and restriction) is created beside the old one, handed to the secret writer as id and secret, and the
 * old one is deleted once the workloads restarted and the propagation delay passed. Both work meanwhile: no downtime.
 *
 * <p>Keystone lets only the owning user manage its application credentials, logged in with its password or with an
 * unrestricted application credential. So Rotor logs in either as the owner from {@code keystone.adminSecretRef}
 * (a clouds.yaml cloud), or with the application credential itself, which then has to be unrestricted — and the
 * spec has to say {@code applicationCredential.unrestricted: true} so that its successor can do the same.
 *
 * <p>Idempotent through the name: a credential of this rotation that already exists and takes this rotation's
 * secret is the one an earlier delivery created.
 */
final class ApplicationCredentialRotation implements StrategyRotation {

    private static final Logger LOG = Logger.getLogger(ApplicationCredentialRotation.class);

    private final KeystoneEndpoints endpoints;
    private final Logins logins;
    private final Timers timers;

    ApplicationCredentialRotation(KeystoneEndpoints endpoints, Logins logins, Timers timers) {
        this.endpoints = endpoints;
        this.logins = logins;
        this.timers = timers;
    }

    @Override
    public Applied apply(Rotation r) {
        Connection c = connect(r);
        SecretValue secret = r.newValue().require(CredentialField.APPLICATION_CREDENTIAL_SECRET);
        String name = name(r);
        try {
            Token manager = manager(c, r, r.oldValue(), "the current application credential");
            String userId = owner(r, manager);
            Optional<ApplicationCredentialInfo> existing = c.call(() -> c.client()
                    .applicationCredentials(manager, userId, name)).stream().findFirst();
            if (existing.isPresent()) {
                return alreadyCreated(c, r, existing.get(), secret, userId);
            }
            ApplicationCredentialOptions options = options(r);
            Instant expiresAt = options.expiresAfter() == null ? null
                    : timers.now().plus(options.expiresAfter()).truncatedTo(ChronoUnit.SECONDS);
            CreatedApplicationCredential created;
            try {
                created = c.call(() -> c.client().createApplicationCredential(manager, userId,
                        new NewApplicationCredential(name, "Rotor rotation " + r.rotationId() + " of " + r.credential(),
                                secret, options.roles(), expiresAt, Boolean.TRUE.equals(options.unrestricted()))));
            } catch (KeystoneException e) {
                // No answer: it may exist now; a retry finds it by name, and giving up deletes it by name.
                throw e.reason() == Reason.TIMEOUT ? KeystoneFailure.from(e).afterChange() : KeystoneFailure.from(e);
            }
            LOG.infof("created application credential %s (%s) for Keystone user %s", created.id(), name, userId);
            return applied(true, r, created.id(), userId, created.projectId());
        } catch (KeystoneException e) {
            throw KeystoneFailure.from(e);
        }
    }

    private Applied alreadyCreated(Connection c, Rotation r, ApplicationCredentialInfo existing, SecretValue secret,
            String userId) {
        try {
            c.call(() -> c.client().login(new ApplicationCredentialSecret(existing.id(), secret)));
        } catch (KeystoneException e) {
            if (e.reason() == Reason.AUTHENTICATION_FAILED) {
                throw new PlatformException(KeystoneFailure.CONFLICT, "user " + userId + " already has an "
                        + "application credential named " + existing.name() + " (" + existing.id() + "), made with "
                        + "another secret than this rotation's; delete it and rotate again");
            }
            throw e;
        }
        LOG.infof("application credential %s (%s) of this rotation exists already; nothing changed", existing.id(),
                existing.name());
        return applied(false, r, existing.id(), userId, existing.projectId());
    }

    @Override
    public void verify(Rotation r) {
        Connection c = connect(r);
        ApplicationCredentialSecret credential = credential(r.newValue()).orElseThrow(() -> new PlatformException(
                KeystoneFailure.NEW_VALUE_REFUSED, "the value to verify carries no application credential id: no "
                        + "application credential " + name(r) + " was created"));
        try {
            Token token = c.call(() -> c.client().login(credential));
            if (!c.call(() -> c.client().isValid(token))) {
                throw new PlatformException(KeystoneFailure.NEW_TOKENS_REVOKED, "a token of the new application "
                        + "credential " + credential.id() + " was revoked at once");
            }
        } catch (KeystoneException e) {
            if (e.reason() == Reason.AUTHENTICATION_FAILED || e.reason() == Reason.NOT_FOUND) {
                throw new PlatformException(KeystoneFailure.NEW_VALUE_REFUSED, "Keystone refuses the new application "
                        + "credential " + credential.id() + " (HTTP " + e.status() + ")", e);
            }
            throw KeystoneFailure.from(e);
        }
    }

    /** Deletes the old application credential, logged in as the owner or with the new one. */
    @Override
    public Change revoke(Rotation r) {
        Optional<ApplicationCredentialSecret> old = credential(r.oldValue());
        Optional<ApplicationCredentialSecret> fresh = credential(r.newValue());
        if (old.isEmpty()) {
            return Change.unchanged(Map.of("reason", "no previous application credential"));
        }
        if (fresh.isPresent() && fresh.get().id().equals(old.get().id())) {
            throw new PlatformException(KeystoneFailure.CONFLICT, "refusing to delete application credential "
                    + old.get().id() + ": it is the new one as well");
        }
        return delete(r, old.get().id(), r.newValue(), "the new application credential");
    }

    /** Deletes this rotation's application credential (found by id, or by name when apply did not get that far). */
    @Override
    public Change removeNew(Rotation r) {
        Connection c = connect(r);
        Optional<String> id = credential(r.newValue()).map(ApplicationCredentialSecret::id);
        try {
            if (id.isEmpty()) {
                Token manager = manager(c, r, r.oldValue(), "the current application credential");
                String userId = owner(r, manager);
                List<ApplicationCredentialInfo> named = c.call(() -> c.client().applicationCredentials(manager, userId,
                        name(r)));
                if (named.isEmpty()) {
                    return Change.unchanged(Map.of("reason", "no application credential " + name(r)));
                }
                id = Optional.of(named.get(0).id());
            }
        } catch (KeystoneException e) {
            throw KeystoneFailure.from(e);
        }
        return delete(r, id.get(), r.oldValue(), "the current application credential");
    }

    private Change delete(Rotation r, String id, CredentialMaterial loginWith, String loginName) {
        Connection c = connect(r);
        try {
            Token manager = manager(c, r, loginWith, loginName);
            String userId = owner(r, manager);
            try {
                c.run(() -> c.client().deleteApplicationCredential(manager, userId, id));
            } catch (KeystoneException e) {
                if (e.reason() == Reason.NOT_FOUND) {
                    return Change.unchanged(Map.of("applicationCredentialId", id));
                }
                throw e;
            }
            LOG.infof("deleted application credential %s of Keystone user %s", id, userId);
            return Change.changed(Map.of("applicationCredentialId", id));
        } catch (KeystoneException e) {
            throw KeystoneFailure.from(e);
        }
    }

    /**
     * A token allowed to manage the user's application credentials: the owner's login from
     * {@code keystone.adminSecretRef}, else the given application credential (which must be unrestricted).
     */
    private Token manager(Connection c, Rotation r, CredentialMaterial value, String what) {
        if (r.spec().keystone() != null && r.spec().keystone().adminMode()) {
            return logins.admin(c, r);
        }
        if (!Boolean.TRUE.equals(options(r).unrestricted())) {
            throw new PlatformException(KeystoneFailure.APPLICATION_CREDENTIAL_NOT_MANAGEABLE, "Rotor has no login "
                    + "that may manage the application credentials of " + r.credential() + ": Keystone lets only their "
                    + "owner do it, with a password or an unrestricted application credential. Either set "
                    + "keystone.applicationCredential.unrestricted: true (and make the current one unrestricted), "
                    + "or name the owner's clouds.yaml in keystone.adminSecretRef and keystone.adminCloud");
        }
        ApplicationCredentialSecret credential = credential(value).orElseThrow(() -> new PlatformException(
                KeystoneFailure.CURRENT_VALUE_INCOMPLETE, PasswordRotation.firstSecret(r) + " holds no application "
                        + "credential id and secret to log in with"));
        try {
            return c.call(() -> c.client().login(credential));
        } catch (KeystoneException e) {
            if (e.reason() == Reason.AUTHENTICATION_FAILED || e.reason() == Reason.NOT_FOUND) {
                throw new PlatformException(KeystoneFailure.CURRENT_PASSWORD_REFUSED, "Keystone refuses " + what
                        + " " + credential.id() + " (HTTP " + e.status() + ")", e);
            }
            throw e;
        }
    }

    private static String owner(Rotation r, Token manager) {
        String expected = r.spec().identity() == null ? null : r.spec().identity().userId();
        if (expected != null && !expected.equals(manager.userId())) {
            throw new PlatformException(KeystoneFailure.FORBIDDEN, "Rotor logged in as Keystone user "
                    + manager.userId() + ", but the credential belongs to user " + expected + "; Keystone lets only the "
                    + "owner manage application credentials");
        }
        return manager.userId();
    }

    private static Optional<ApplicationCredentialSecret> credential(CredentialMaterial value) {
        Optional<SecretValue> id = value.get(CredentialField.APPLICATION_CREDENTIAL_ID);
        Optional<SecretValue> secret = value.get(CredentialField.APPLICATION_CREDENTIAL_SECRET);
        return id.isPresent() && secret.isPresent()
                ? Optional.of(new ApplicationCredentialSecret(id.get().reveal(), secret.get())) : Optional.empty();
    }

    private Applied applied(boolean changed, Rotation r, String id, String userId, String projectId) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("applicationCredentialId", id);
        details.put("applicationCredentialName", name(r));
        details.put("keystoneUserId", userId);
        if (projectId != null) {
            details.put("projectId", projectId);
        }
        CredentialMaterial handOn = CredentialMaterial.of(Map.of(
                CredentialField.APPLICATION_CREDENTIAL_ID, SecretValue.of(id),
                CredentialField.APPLICATION_CREDENTIAL_SECRET,
                r.newValue().require(CredentialField.APPLICATION_CREDENTIAL_SECRET)));
        return new Applied(changed, handOn, r.oldValue(), details);
    }

    private Connection connect(Rotation r) {
        return endpoints.connect(r.credential(), r.spec().endpoint());
    }

    private static ApplicationCredentialOptions options(Rotation r) {
        ApplicationCredentialOptions options = r.spec().keystone() == null ? null
                : r.spec().keystone().applicationCredential();
        return options != null ? options : new ApplicationCredentialOptions(null, null, null, null);
    }

    static String name(Rotation r) {
        return options(r).namePrefixOrDefault() + "-" + r.rotationId();
    }
}
