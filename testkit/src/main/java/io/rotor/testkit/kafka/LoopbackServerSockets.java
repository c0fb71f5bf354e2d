package io.rotor.testkit.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.server.ServerSocketFactory;
import org.jboss.logging.Logger;

/**
 * Opens the broker's listening sockets on 127.0.0.1 only, and hands out sockets bound ahead of time.
 *
 * <p>Binding ahead of time is how the controller gets a port that is known before the node's config is written
 * ({@code controller.quorum.voters} must name it) without the race of probing for a free port and binding it later,
 * when another process on the machine may have taken it. Kafka's own {@code PreboundSocketFactoryManager} does the
 * same, but binds to the wildcard address, which exposes the test broker on every interface.
 */
final class LoopbackServerSockets implements ServerSocketFactory, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LoopbackServerSockets.class);

    static final String LOOPBACK_HOST = "127.0.0.1";

    private final Map<String, ServerSocketChannel> prebound = new HashMap<>();

    /** Binds a socket for the listener now and returns its port; the listener gets this very socket later. */
    synchronized int prebind(String listenerName) throws IOException {
        if (prebound.containsKey(listenerName)) {
            throw new IllegalStateException("listener " + listenerName + " is already bound");
        }
        ServerSocketChannel channel = ServerSocketFactory.INSTANCE.openServerSocket(
                listenerName, new InetSocketAddress(loopback(), 0), -1, -1);
        prebound.put(listenerName, channel);
        return channel.socket().getLocalPort();
    }

    @Override
    public synchronized ServerSocketChannel openServerSocket(String listenerName, InetSocketAddress socketAddress,
            int listenBacklogSize, int recvBufferSize) throws IOException {
        ServerSocketChannel channel = prebound.remove(listenerName);
        if (channel != null) {
            return channel;
        }
        // The node's listeners all name 127.0.0.1; anything else means its config was overridden to expose it.
        if (socketAddress.getAddress() == null || !socketAddress.getAddress().isLoopbackAddress()) {
            throw new IOException("Refusing to bind listener " + listenerName + " to " + socketAddress
                    + ": the test broker listens on " + LOOPBACK_HOST + " only");
        }
        return ServerSocketFactory.INSTANCE.openServerSocket(listenerName, socketAddress, listenBacklogSize,
                recvBufferSize);
    }

    /** Closes sockets bound ahead of time that no listener took (start-up failed before it got that far). */
    @Override
    public synchronized void close() {
        prebound.forEach((listenerName, channel) -> {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warnf(e, "Could not close the unused socket of listener %s", listenerName);
            }
        });
        prebound.clear();
    }

    static InetAddress loopback() {
        try {
            // Literal address, so no name lookup; 'localhost' may resolve to ::1 first on some machines.
            return InetAddress.getByAddress(LOOPBACK_HOST, new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4-byte address is always valid", e);
        }
    }
}
