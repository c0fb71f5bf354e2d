package io.rotor.redis.enterprise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.lookup.SecretLookup;
import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.Change;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformAdapter;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.kit.tls.EndpointTls;
import io.rotor.kit.tls.EndpointTlsResolver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Redis Enterprise cluster admin credentials over the cluster's REST API.
 *
 * <p>{@code dual-password}: authenticate as the user being rotated with its current password (some builds ignore
 * {@code username} on POST and act on the caller), {@code POST /v1/users/password} to add the new one (with the current
 * one as {@code old_password}, which 7.4 clusters require), verify it by an authenticated call, and
 * {@code DELETE /v1/users/password} the old one after propagation.
 *
 * <p>{@code new-identity}: create a new admin ({@code POST /v1/users} with the admin role's {@code role_uids}, or
 * {@code role: admin} on a cluster without roles), prove it is an admin, point the RedisEnterpriseCluster's
 * {@code spec.username} at it, hand the new username and password on, and delete the old admin after propagation. A
 * rollback points {@code spec.username} back before it deletes the new admin.
 *
 * <p>No login is ever retried after a 401, and every login is counted in the service's durable {@link LoginBudget}
 * before it is sent: the cluster locks an account after 5 failed logins (its counter is forgotten only after 15 quiet
 * minutes), which would lock out the operator itself.
 */
@ApplicationScoped
public class RedisEnterpriseAdapter implements PlatformAdapter {

    private static final Logger LOG = Logger.getLogger(RedisEnterpriseAdapter.class);
    private static final String USERS = "/v1/users";
    private static final String PASSWORD = "/v1/users/password";

    private final EndpointTlsResolver tls;
    private final LoginBudget budget;
    private final ClusterResource clusters;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    private final Set<String> policiesRead = ConcurrentHashMap.newKeySet();

    @Inject
    public RedisEnterpriseAdapter(SecretLookup secrets, LoginBudget budget, ClusterResource clusters) {
        this.tls = new EndpointTlsResolver(secrets);
        this.budget = budget;
        this.clusters = clusters;
    }

    @Override
    public Platform platform() {
        return Platform.REDIS_ENTERPRISE;
    }

    @Override
    public Set<Strategy> strategies() {
        return Set.of(Strategy.DUAL_PASSWORD, Strategy.NEW_IDENTITY);
    }

    @Override
    public String endpointKey(ManagedCredentialSpec spec) {
        return spec.endpoint().url();
    }

    @Override
    public Applied apply(Rotation r) {
        return r.spec().strategy() == Strategy.NEW_IDENTITY ? applyNewIdentity(r) : applyDualPassword(r);
    }

    @Override
    public void verify(Rotation r) {
        String user = r.newUsername().orElseThrow(() -> noUsername());
        RecApi api = api(r);
        RecLogin login = new RecLogin(user, r.newPassword(), RecFailure.NEW_PASSWORD_REJECTED);
        if (r.spec().strategy() == Strategy.NEW_IDENTITY) {
            proveAdmin(api, login);
            return;
        }
        // dual-password changes a password, not who the user is: any answer but 401 proves the login (a 403 says the
        // user may not list users, not that the password failed).
        api.send(login, "GET", USERS, null);
    }

    @Override
    public Change revoke(Rotation r) {
        return r.spec().strategy() == Strategy.NEW_IDENTITY ? deleteOldAdmin(r) : deleteOldPassword(r);
    }

    @Override
    public Change removeNew(Rotation r) {
        return r.spec().strategy() == Strategy.NEW_IDENTITY ? deleteNewAdmin(r) : deleteNewPassword(r);
    }

    // dual-password

    private Applied applyDualPassword(Rotation r) {
        String user = r.oldUsername().orElseThrow(() -> noUsername());
        RecApi api = api(r);
        // old_password: 7.4 clusters require one of the user's passwords here; later ones ignore it.
        RecResponse answer = api.send(current(r, user), "POST", PASSWORD, Map.of("username", user,
                "old_password", r.oldPassword().reveal(), "new_password", r.newPassword().reveal()));
        boolean changed;
        if (answer.ok()) {
            changed = true;
        } else if ("new_password_same_as_current".equals(answer.errorCode())) {
            // Only the caller's own list is checked: the new password is there already (a redelivered command).
            changed = false;
        } else {
            throw api.failure(answer, "adding a password for " + user);
        }
        LOG.infof("new password of %s %s at %s", user, changed ? "added" : "was already there", api.where());
        return new Applied(changed, CredentialMaterial.password(r.newPassword()),
                CredentialMaterial.password(r.oldPassword()), Map.of("user", user));
    }

    private Change deleteOldPassword(Rotation r) {
        String user = r.newUsername().orElseThrow(() -> noUsername());
        RecApi api = api(r);
        RecResponse answer = api.send(new RecLogin(user, r.newPassword(), RecFailure.NEW_PASSWORD_REJECTED), "DELETE",
                PASSWORD, Map.of("username", user, "old_password", r.oldPassword().reveal()));
        if (answer.ok()) {
            return Change.changed(Map.of("user", user));
        }
        // Authenticated with the new password, which is therefore in the list: if the cluster says the list has one
        // password left, or does not know the old one, the old one is gone already.
        if (answer.status() == 404 && !"user_not_exist".equals(answer.errorCode())
                || "cannot_delete_last_password".equals(answer.errorCode())) {
            return Change.unchanged(Map.of("user", user));
        }
        throw api.failure(answer, "removing the old password of " + user);
    }

    private Change deleteNewPassword(Rotation r) {
        String user = r.oldUsername().orElseThrow(() -> noUsername());
        RecApi api = api(r);
        RecResponse answer = api.send(current(r, user), "DELETE", PASSWORD,
                Map.of("username", user, "old_password", r.newPassword().reveal()));
        if (answer.ok()) {
            return Change.changed(Map.of("user", user));
        }
        if (answer.status() == 404 && !"user_not_exist".equals(answer.errorCode())) {
            return Change.unchanged(Map.of("user", user));
        }
        if ("cannot_delete_last_password".equals(answer.errorCode())) {
            throw new PlatformException(RecFailure.CANNOT_DELETE_LAST_PASSWORD, "the new password is the only one "
                    + user + " has at " + api.where() + ": the old one is gone, so removing the new one would lock "
                    + "the user out; it is left in place");
        }
        throw api.failure(answer, "removing the new password of " + user);
    }

    // new-identity

    private Applied applyNewIdentity(Rotation r) {
        String oldUser = r.oldUsername().orElseThrow(() -> noUsername());
        String newUser = newAdminName(r, oldUser);
        String cluster = clusterName(r);
        RecApi api = api(r);
        boolean changed = maybeCreateAdmin(api, current(r, oldUser), newUser, r);
        try {
            proveAdmin(api, new RecLogin(newUser, r.newPassword(), RecFailure.NEW_PASSWORD_REJECTED));
        } catch (PlatformException e) {
            if (!changed && e.reason() == RecFailure.NEW_PASSWORD_REJECTED) {
                throw new PlatformException(RecFailure.USER_ALREADY_EXISTS, "a user " + newUser + " exists at "
                        + api.where() + " and the new password does not open it; it was not made by this rotation "
                        + "and is left alone");
            }
            // The new password opens it, so the user is this rotation's: a step given up removes it again.
            throw changed || e.reason() == RecFailure.NOT_AN_ADMIN ? e.afterChange() : e;
        }
        try {
            if (!clusters.username(r.credential().namespace(), cluster).map(newUser::equals).orElse(false)) {
                clusters.setUsername(r.credential().namespace(), cluster, newUser);
                changed = true;
            }
        } catch (PlatformException e) {
            throw e.afterChange();
        }
        LOG.infof("new admin %s %s at %s; RedisEnterpriseCluster %s points at it", newUser,
                changed ? "set up" : "was already set up", api.where(), cluster);
        return new Applied(changed, CredentialMaterial.usernameAndPassword(newUser, r.newPassword()),
                CredentialMaterial.usernameAndPassword(oldUser, r.oldPassword()),
                Map.of("user", newUser, "previousUser", oldUser, "cluster", cluster));
    }

    /**
     * Creates the new admin unless it exists. The cluster answers 409 when the e-mail or the name is taken: a user
     * with the new admin's e-mail is taken as an earlier delivery's (the caller then proves the new password opens it);
     * a name held by another user is a failure that leaves that user alone.
     *
     * @return whether the user was created now
     */
    private boolean maybeCreateAdmin(RecApi api, RecLogin login, String newUser, Rotation r) {
        String wanted = r.spec().redisEnterprise() == null ? "admin" : r.spec().redisEnterprise().roleOrDefault();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", newUser);
        body.put("name", newUser);
        body.put("password", r.newPassword().reveal());
        body.putAll(RecRoles.read(api, login).adminGrant(wanted, api.where()));
        RecResponse answer = api.send(login, "POST", USERS, body);
        if (answer.ok()) {
            return true;
        }
        if (answer.status() == 409) {
            if (findUser(api, login, newUser).isPresent()) {
                return false;
            }
            throw new PlatformException(RecFailure.USER_ALREADY_EXISTS, api.failure(answer, "creating the admin "
                    + "user " + newUser).getMessage() + ": no user has that e-mail, so another user holds the name; "
                    + "nothing was changed");
        }
        throw api.failure(answer, "creating the admin user " + newUser);
    }
    private Change deleteOldAdmin(Rotation r) {
        String oldUser = r.oldUsername().orElseThrow(() -> noUsername());
        String newUser = r.newUsername().orElseThrow(() -> noUsername());
        if (oldUser.equals(newUser)) {
            throw new PlatformException(RecFailure.UNEXPECTED_RESPONSE, "the old and the new admin are both "
                    + oldUser + "; refusing to delete it");
        }
        String cluster = clusterName(r);
        Optional<String> pointedAt = clusters.username(r.credential().namespace(), cluster);
        if (!pointedAt.map(newUser::equals).orElse(false)) {
            throw new PlatformException(RecFailure.CLUSTER_RESOURCE, "RedisEnterpriseCluster "
                    + r.credential().namespace() + "/" + cluster + " names " + pointedAt.orElse("no user")
                    + ", not the new admin " + newUser + "; refusing to delete the old admin " + oldUser);
        }
        RecApi api = api(r);
        RecLogin login = new RecLogin(newUser, r.newPassword(), RecFailure.NEW_PASSWORD_REJECTED);
        return deleteUser(api, login, oldUser);
    }

    /**
     * Rollback: {@code spec.username} goes back to the old admin first, and only then is the new admin deleted — never
     * while the cluster resource names it (the operator would be left with an admin that does not exist). If pointing
     * back fails, nothing is deleted and the step fails.
     */
    private Change deleteNewAdmin(Rotation r) {
        String oldUser = r.oldUsername().orElseThrow(() -> noUsername());
        String newUser = r.newValue().get(CredentialField.USERNAME).map(SecretValue::reveal)
                .orElseGet(() -> AdminNames.next(oldUser, r.rotationId()));
        String cluster = clusterName(r);
        String namespace = r.credential().namespace();
        boolean pointedBack = false;
        if (clusters.names(namespace, cluster, newUser)) {
            clusters.setUsername(namespace, cluster, oldUser);
            pointedBack = true;
            LOG.infof("RedisEnterpriseCluster %s/%s points back at %s", namespace, cluster, oldUser);
        }
        Change deleted = deleteUser(api(r), current(r, oldUser), newUser);
        Map<String, String> details = Map.of("user", newUser, "cluster", cluster);
        return deleted.changed() || pointedBack ? Change.changed(details) : Change.unchanged(details);
    }

    private Change deleteUser(RecApi api, RecLogin login, String email) {
        Optional<Integer> uid = findUser(api, login, email);
        if (uid.isEmpty()) {
            return Change.unchanged(Map.of("user", email));
        }
        RecResponse answer = api.send(login, "DELETE", USERS + "/" + uid.get(), null);
        if (answer.ok() || answer.status() == 404) {
            LOG.infof("deleted the admin user %s at %s", email, api.where());
            return answer.ok() ? Change.changed(Map.of("user", email)) : Change.unchanged(Map.of("user", email));
        }
        throw api.failure(answer, "deleting the user " + email);
    }

    /** The cluster has no lookup by e-mail: list the users and match. */
    private Optional<Integer> findUser(RecApi api, RecLogin login, String email) {
        RecResponse answer = api.send(login, "GET", USERS, null);
        if (!answer.ok()) {
            throw api.failure(answer, "listing users");
        }
        if (answer.body() == null || !answer.body().isArray()) {
            throw new PlatformException(RecFailure.UNEXPECTED_RESPONSE, "the cluster at " + api.where()
                    + " answered GET /v1/users with something other than a list");
        }
        for (JsonNode user : answer.body()) {
            if (email.equals(user.path("email").asText())) {
                return Optional.of(user.path("uid").asInt());
            }
        }
        return Optional.empty();
    }

    /**
     * The new admin is an admin: it may list the users (a 403 is no proof: the user logs in but is not an admin), and
     * its own entry holds role {@code admin} or a role with management admin.
     */
    private void proveAdmin(RecApi api, RecLogin login) {
        RecResponse answer = api.send(login, "GET", USERS, null);
        if (answer.status() == 403) {
            throw new PlatformException(RecFailure.NOT_AN_ADMIN, "the cluster at " + api.where() + " lets "
                    + login.username() + " log in but not list users (HTTP 403" + (answer.errorCode().isEmpty() ? ""
                            : ", " + answer.errorCode()) + "): it is not an admin, and the RedisEnterpriseCluster "
                    + "needs an admin");
        }
        if (!answer.ok()) {
            throw api.failure(answer, "listing users as " + login.username());
        }
        JsonNode self = null;
        if (answer.body() != null && answer.body().isArray()) {
            for (JsonNode user : answer.body()) {
                if (login.username().equals(user.path("email").asText())) {
                    self = user;
                }
            }
        }
        if (self == null) {
            throw new PlatformException(RecFailure.UNEXPECTED_RESPONSE, "the cluster at " + api.where()
                    + " does not list " + login.username() + " among its users");
        }
        if ("admin".equals(self.path("role").asText())) {
            return;
        }
        boolean hasRoleUids = self.path("role_uids").isArray() && !self.path("role_uids").isEmpty();
        if (!hasRoleUids || !RecRoles.read(api, login).isAdmin(self)) {
            throw new PlatformException(RecFailure.NOT_AN_ADMIN, login.username() + " logs in at " + api.where()
                    + " but holds neither role admin nor a role with management admin; the RedisEnterpriseCluster "
                    + "needs an admin");
        }
    }

    private static String newAdminName(Rotation r, String oldUser) {
        String name = r.newValue().get(CredentialField.USERNAME).map(SecretValue::reveal)
                .orElseGet(() -> AdminNames.next(oldUser, r.rotationId()));
        if (name.equals(oldUser)) {
            throw new PlatformException(RecFailure.USER_ALREADY_EXISTS, "the new admin's name equals the current one ("
                    + oldUser + "); new-identity needs a different user");
        }
        return name;
    }

    private static String clusterName(Rotation r) {
        if (r.spec().redisEnterprise() == null || r.spec().redisEnterprise().clusterName() == null) {
            throw new PlatformException(RecFailure.CLUSTER_RESOURCE, "new-identity needs redisEnterprise.clusterName");
        }
        return r.spec().redisEnterprise().clusterName();
    }

    private static RecLogin current(Rotation r, String user) {
        return new RecLogin(user, r.oldPassword(), RecFailure.CURRENT_PASSWORD_REJECTED);
    }

    private static PlatformException noUsername() {
        return new PlatformException(KitFailure.SECRET_KEY_MISSING, "no admin username: set identity.username or map "
                + "the username field in the credential's Secret");
    }

    private RecApi api(Rotation r) {
        EndpointTls endpointTls = tls.resolve(r.credential(), r.spec().endpoint());
        Duration timeout = r.spec().endpoint().timeoutOrDefault();
        String key = endpointTls.fingerprint() + "|" + timeout.toMillis();
        HttpClient http = clients.computeIfAbsent(key, k -> HttpClient.newBuilder()
                .sslContext(endpointTls.context())
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build());
        return new RecApi(URI.create(r.spec().endpoint().url()), http, timeout, budget, endpointTls.trustSource(),
                json, policiesRead);
    }
}
