package io.rotor.redis.acl;

import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.tls.EndpointTls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The nodes of one credential and how to reach them (timeout, TLS). */
final class AclNodes {

    private final List<RedisNode> nodes;
    private final Duration timeout;
    private final EndpointTls tls;

    AclNodes(List<RedisNode> nodes, Duration timeout, EndpointTls tls) {
        this.nodes = List.copyOf(nodes);
        this.timeout = timeout;
        this.tls = tls;
    }

    List<RedisNode> all() {
        return nodes;
    }

    RespConnection connect(RedisNode node) {
        try {
            return RespConnection.open(node, timeout, tls);
        } catch (NodeUnreachable e) {
            throw new PlatformException(e.reason(), e.getMessage(), e);
        }
    }

    /**
     * Logs in on every node before anything changes: a node that is down fails the step (retriable) while all nodes
     * are still alike, instead of halfway through.
     */
    List<NodeSession> loginEverywhere(AclLogin login) {
        List<NodeSession> sessions = new ArrayList<>();
        try {
            for (RedisNode node : nodes) {
                sessions.add(NodeSession.open(this, node, login));
            }
            return sessions;
        } catch (RuntimeException e) {
            sessions.forEach(NodeSession::close);
            throw e;
        }
    }

    /** {@code AUTH} on a fresh connection, so nothing cached by a session answers instead of the node. */
    boolean authenticates(RedisNode node, String user, SecretValue password) {
        try (RespConnection connection = connect(node)) {
            Reply reply = connection.call("AUTH", user, password.reveal());
            if (reply.isOk()) {
                return true;
            }
            if (reply instanceof Reply.Error error && ("WRONGPASS".equals(error.code())
                    || error.message().contains("invalid username-password"))) {
                return false;
            }
            throw new PlatformException(AclFailure.UNEXPECTED_REPLY, "node " + node + " answered AUTH with "
                    + (reply instanceof Reply.Error error ? error.code() : "something other than OK"));
        } catch (NodeUnreachable e) {
            throw new PlatformException(e.reason(), e.getMessage(), e);
        }
    }
}
