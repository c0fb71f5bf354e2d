package io.rotor.redis.acl;

/** One Redis node as listed in {@code endpoint.hosts}: {@code host:port} or {@code [ipv6]:port}. */
public record RedisNode(String host, int port) {

    public static RedisNode parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("a Redis node must be host:port");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new RedisNode(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
