package io.rotor.redis.acl;

import java.io.IOException;
import javax.net.ssl.SSLException;

/**
 * A node did not answer (refused, timed out, reset), or answered but the TLS handshake failed. The message names the
 * node, never a command's arguments.
 */
final class NodeUnreachable extends Exception {

    private final boolean tlsRefused;

    NodeUnreachable(RedisNode node, IOException cause) {
        super(cause instanceof SSLException
                ? "the TLS handshake with node " + node + " failed (" + cause.getMessage() + "): its certificate is not "
                        + "trusted by the credential's CA bundle or does not name the host"
                : "node " + node + " is unreachable: " + describe(cause), cause);
        this.tlsRefused = cause instanceof SSLException;
    }

    /** A refused handshake does not heal by trying again; a node that is down may. */
    AclFailure reason() {
        return tlsRefused ? AclFailure.TLS_UNTRUSTED : AclFailure.NODE_UNREACHABLE;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
