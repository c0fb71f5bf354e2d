package io.rotor.redis.acl;

import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.PlatformException;
import java.util.Optional;

/**
 * A logged-in connection to one node for ACL changes. Replies to commands that carry a password are reported by
 * error code only: Redis may echo the offending argument in the message.
 */
final class NodeSession implements AutoCloseable {

    private final RespConnection connection;

    private NodeSession(RespConnection connection) {
        this.connection = connection;
    }

    static NodeSession open(AclNodes nodes, RedisNode node, AclLogin login) {
        RespConnection connection = nodes.connect(node);
        try {
            Reply reply = call(connection, "AUTH", login.username(), login.password().reveal());
            if (reply instanceof Reply.Error error) {
                throw refused(node, login, error);
            }
            return new NodeSession(connection);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    RedisNode node() {
        return connection.node();
    }

    boolean userExists(String user) {
        Reply reply = checked(call(connection, "ACL", "GETUSER", user), "ACL GETUSER", true);
        return !(reply instanceof Reply.Bulk bulk && bulk.value() == null)
                && !(reply instanceof Reply.Array array && array.elements() == null);
    }

    /** Whether the node loads its users from an aclfile; empty when the login may not read the configuration. */
    Optional<Boolean> usesAclFile() {
        Reply reply = call(connection, "CONFIG", "GET", "aclfile");
        if (reply instanceof Reply.Error error && "NOPERM".equals(error.code())) {
            return Optional.empty();
        }
        checked(reply, "CONFIG GET aclfile", true);
        if (reply instanceof Reply.Array array && array.elements() != null && array.elements().size() == 2
                && array.elements().get(1) instanceof Reply.Bulk path) {
            return Optional.of(path.value() != null && !path.value().isEmpty());
        }
        throw new PlatformException(AclFailure.UNEXPECTED_REPLY, "node " + node()
                + " answered CONFIG GET aclfile with something other than the setting");
    }

    void addPassword(String user, SecretValue password) {
        requireOk(call(connection, "ACL", "SETUSER", user, ">" + password.reveal()), "ACL SETUSER (add a password)");
    }

    void removePassword(String user, SecretValue password) {
        requireOk(call(connection, "ACL", "SETUSER", user, "<" + password.reveal()),
                "ACL SETUSER (remove a password)");
    }

    /** Writes the node's users to its aclfile, so a restart keeps the change. */
    void save() {
        Reply reply = call(connection, "ACL", "SAVE");
        if (reply instanceof Reply.Error error && error.message().contains("not configured to use an ACL file")) {
            throw new PlatformException(AclFailure.ACL_NOT_PERSISTENT, notPersistent(node()));
        }
        if (reply instanceof Reply.Error error && "ERR".equals(error.code())) {
            throw new PlatformException(AclFailure.ACL_SAVE_FAILED, "ACL SAVE failed on node " + node() + ": "
                    + error.message());
        }
        requireOk(reply, "ACL SAVE");
    }

    static String notPersistent(RedisNode node) {
        return "node " + node + " has no aclfile (its users come from redis.conf or were set at run time), so "
                + "ACL SAVE cannot keep a password change and the node would return to the old password on restart; "
                + "configure an aclfile on every node before rotating";
    }

    private void requireOk(Reply reply, String what) {
        checked(reply, what, false);
        if (!reply.isOk()) {
            throw new PlatformException(AclFailure.UNEXPECTED_REPLY, "node " + node() + " did not answer OK to "
                    + what);
        }
    }

    private Reply checked(Reply reply, String what, boolean showMessage) {
        if (!(reply instanceof Reply.Error error)) {
            return reply;
        }
        String said = error.code() + (showMessage && !error.message().isEmpty() ? " " + error.message() : "");
        throw switch (error.code()) {
            case "NOPERM" -> new PlatformException(AclFailure.NOT_PERMITTED, "the login user may not run " + what
                    + " on node " + node() + " (NOPERM): give the rotator an admin ACL user (redisAcl.adminSecretRef)");
            case "LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN" -> new PlatformException(AclFailure.NODE_BUSY,
                    "node " + node() + " is busy (" + error.code() + ")");
            default -> new PlatformException(AclFailure.UNEXPECTED_REPLY, "node " + node() + " refused " + what
                    + " (" + said + ")");
        };
    }

    private static PlatformException refused(RedisNode node, AclLogin login, Reply.Error error) {
        if (!"WRONGPASS".equals(error.code()) && !error.message().contains("invalid username-password")) {
            return new PlatformException(AclFailure.UNEXPECTED_REPLY, "node " + node + " refused AUTH as "
                    + login.username() + " (" + error.code() + ")");
        }
        return new PlatformException(login.refusedAs(), switch (login.refusedAs()) {
            case ADMIN_LOGIN_REFUSED -> "node " + node + " refused the admin login as " + login.username()
                    + " with the password from redisAcl.adminSecretRef";
            default -> "node " + node + " refused " + login.username() + "'s login with the password from its "
                    + "Secret; the Secret and the node disagree, so the rotator stops rather than guess";
        });
    }

    private static Reply call(RespConnection connection, String... args) {
        try {
            return connection.call(args);
        } catch (NodeUnreachable e) {
            throw new PlatformException(e.reason(), e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
