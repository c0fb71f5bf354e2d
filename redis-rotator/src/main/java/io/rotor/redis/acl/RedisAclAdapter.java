package io.rotor.redis.acl;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.RedisAclOptions;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.lookup.SecretLookup;
import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.Change;
import io.rotor.kit.participant.PlatformAdapter;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.tls.EndpointTls;
import io.rotor.kit.tls.EndpointTlsResolver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Redis OSS ACL users, strategy {@code dual-password}: {@code ACL SETUSER u >new} on every listed node (ACLs are not
 * replicated), {@code AUTH} with the new password on a fresh connection to each, {@code ACL SAVE} so a restart keeps
 * it, and {@code <old} once the workloads moved over.
 *
 * <p>Every operation first logs in on every node, so a node that is down fails the step (retriable) before anything
 * changes; a retry then brings every node in line, including one that came back with its aclfile's older state.
 * A password is never removed from a node where the remaining one does not authenticate, so no node is left with a
 * user nobody can log in as.
 */
@ApplicationScoped
public class RedisAclAdapter implements PlatformAdapter {

    private static final Logger LOG = Logger.getLogger(RedisAclAdapter.class);

    private final SecretLookup secrets;
    private final EndpointTlsResolver tls;

    @Inject
    public RedisAclAdapter(SecretLookup secrets) {
        this.secrets = secrets;
        this.tls = new EndpointTlsResolver(secrets);
    }

    @Override
    public Platform platform() {
        return Platform.REDIS_ACL;
    }

    @Override
    public Set<Strategy> strategies() {
        return Set.of(Strategy.DUAL_PASSWORD);
    }

    @Override
    public String endpointKey(ManagedCredentialSpec spec) {
        return "redis:" + String.join(",", spec.endpoint().hostList().stream().sorted().toList());
    }

    @Override
    public Applied apply(Rotation r) {
        String user = user(r);
        AclNodes nodes = nodes(r);
        List<RedisNode> changed = new ArrayList<>();
        withSessions(nodes, login(r, r.oldPassword(), AclFailure.CURRENT_PASSWORD_REFUSED), sessions -> {
            for (NodeSession session : sessions) {
                if (!session.userExists(user)) {
                    throw new PlatformException(AclFailure.USER_NOT_FOUND, "user " + user + " does not exist on node "
                            + session.node() + "; create it on every node first (the rotator changes passwords only)");
                }
                Optional<Boolean> aclFile = session.usesAclFile();
                if (aclFile.isPresent() && !aclFile.get()) {
                    throw new PlatformException(AclFailure.ACL_NOT_PERSISTENT, NodeSession.notPersistent(session.node()));
                }
            }
            for (NodeSession session : sessions) {
                try {
                    if (!nodes.authenticates(session.node(), user, r.newPassword())) {
                        session.addPassword(user, r.newPassword());
                        changed.add(session.node());
                    }
                    // Saved even when the password was there: an earlier attempt may have stopped before its save.
                    session.save();
                } catch (PlatformException e) {
                    throw e.afterChange();
                }
            }
            return null;
        });
        LOG.infof("added the new password of %s on %d of %d node(s)", user, changed.size(), nodes.all().size());
        return new Applied(!changed.isEmpty(), CredentialMaterial.password(r.newPassword()),
                CredentialMaterial.password(r.oldPassword()), Map.of("nodes", Integer.toString(nodes.all().size()),
                        "nodesChanged", Integer.toString(changed.size())));
    }

    @Override
    public void verify(Rotation r) {
        String user = user(r);
        AclNodes nodes = nodes(r);
        for (RedisNode node : nodes.all()) {
            if (!nodes.authenticates(node, user, r.newPassword())) {
                throw new PlatformException(AclFailure.NEW_PASSWORD_REFUSED, "the new password of " + user
                        + " does not authenticate on node " + node);
            }
        }
    }

    @Override
    public Change revoke(Rotation r) {
        return removeEverywhere(r, r.oldPassword(), r.newPassword(), "old",
                login(r, r.newPassword(), AclFailure.NEW_PASSWORD_REFUSED), true);
    }

    @Override
    public Change removeNew(Rotation r) {
        // A node without an aclfile still holds only the old password in its configuration: removing the new one
        // in memory is all it takes to put it back as it was.
        return removeEverywhere(r, r.newPassword(), r.oldPassword(), "new",
                login(r, r.oldPassword(), AclFailure.CURRENT_PASSWORD_REFUSED), false);
    }

    /** @param mustSave the change must survive a restart (revoke); otherwise an unsaveable node is fine (rollback) */
    private Change removeEverywhere(Rotation r, SecretValue remove, SecretValue keep, String which, AclLogin login,
            boolean mustSave) {
        String user = user(r);
        AclNodes nodes = nodes(r);
        int removed = withSessions(nodes, login, sessions -> {
            int count = 0;
            for (NodeSession session : sessions) {
                if (!nodes.authenticates(session.node(), user, remove)) {
                    continue;
                }
                Optional<Boolean> aclFile = session.usesAclFile();
                boolean saveable = aclFile.orElse(true);
                if (mustSave && !saveable) {
                    throw new PlatformException(AclFailure.ACL_NOT_PERSISTENT, NodeSession.notPersistent(session.node()));
                }
                if (!nodes.authenticates(session.node(), user, keep)) {
                    throw new PlatformException(AclFailure.NEW_PASSWORD_REFUSED, "refusing to remove the " + which
                            + " password of " + user + " on node " + session.node() + ": the other one does not "
                            + "authenticate there, and the user would be left without a working password");
                }
                session.removePassword(user, remove);
                if (saveable) {
                    saveUnlessUnsaveable(session, mustSave);
                }
                count++;
            }
            return count;
        });
        LOG.infof("removed the %s password of %s on %d of %d node(s)", which, user, removed, nodes.all().size());
        Map<String, String> details = Map.of("nodes", Integer.toString(nodes.all().size()),
                "nodesChanged", Integer.toString(removed));
        return removed > 0 ? Change.changed(details) : Change.unchanged(details);
    }

    private static void saveUnlessUnsaveable(NodeSession session, boolean mustSave) {
        try {
            session.save();
        } catch (PlatformException e) {
            if (mustSave || e.reason() != AclFailure.ACL_NOT_PERSISTENT) {
                throw e;
            }
        }
    }

    private static <T> T withSessions(AclNodes nodes, AclLogin login, Function<List<NodeSession>, T> work) {
        List<NodeSession> sessions = nodes.loginEverywhere(login);
        try {
            return work.apply(sessions);
        } finally {
            sessions.forEach(NodeSession::close);
        }
    }

    private static String user(Rotation r) {
        return r.spec().identity().username();
    }

    /** The admin ACL user when the credential names one, else the rotated user with the password given. */
    private AclLogin login(Rotation r, SecretValue ownPassword, AclFailure ownRefusal) {
        RedisAclOptions options = r.spec().redisAcl();
        if (options == null || options.adminSecretRef() == null) {
            return new AclLogin(user(r), ownPassword, ownRefusal);
        }
        byte[] password = secrets.key(r.credential().namespace(), options.adminSecretRef(), "the Redis admin password");
        return new AclLogin(options.adminUsernameOrDefault(),
                SecretValue.of(new String(password, StandardCharsets.UTF_8)), AclFailure.ADMIN_LOGIN_REFUSED);
    }

    private AclNodes nodes(Rotation r) {
        Endpoint endpoint = r.spec().endpoint();
        List<RedisNode> nodes = endpoint.hostList().stream().map(RedisNode::parse).toList();
        return new AclNodes(nodes, endpoint.timeoutOrDefault(), tlsFor(r.credential(), endpoint));
    }

    /** TLS when the credential names a CA bundle or explicitly skips verification; plain TCP otherwise. */
    private EndpointTls tlsFor(CredentialRef credential, Endpoint endpoint) {
        if (endpoint.caSecretRef() == null && !endpoint.skipTlsVerify()) {
            return null;
        }
        return tls.resolve(credential, endpoint);
    }
}
