package io.rotor.redis.acl;

import java.io.IOException;

/** A node did not answer: refused, timed out, reset, TLS failed. The message names the node, never arguments. */
final class NodeUnreachable extends Exception {

    NodeUnreachable(RedisNode node, IOException cause) {
        super("node " + node + " is unreachable: " + describe(cause), cause);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
