package io.rotor.redis.acl;

import io.rotor.kit.tls.EndpointTls;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * One connection to one node, speaking RESP2: a few commands in order, then closed. Small on purpose: the rotator
 * needs {@code AUTH}, {@code ACL} and {@code CONFIG GET}, and verifying a password needs a fresh connection each
 * time, which pooled client libraries make awkward. Arguments are never logged or put into exceptions.
 */
final class RespConnection implements AutoCloseable {

    private static final int MAX_LINE = 64 * 1024;

    private final RedisNode node;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespConnection(RedisNode node, Socket socket) throws IOException {
        this.node = node;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** @param tls null for plain TCP */
    static RespConnection open(RedisNode node, Duration timeout, EndpointTls tls) throws NodeUnreachable {
        Socket socket = null;
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(node.host(), node.port()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            if (tls != null) {
                SSLSocket secure = (SSLSocket) tls.context().getSocketFactory()
                        .createSocket(socket, node.host(), node.port(), true);
                tls.configure(secure);
                secure.startHandshake();
                socket = secure;
            }
            return new RespConnection(node, socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new NodeUnreachable(node, e);
        }
    }

    RedisNode node() {
        return node;
    }

    Reply call(String... args) throws NodeUnreachable {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            buffer.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                buffer.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                buffer.write(bytes);
                buffer.write('\r');
                buffer.write('\n');
            }
            buffer.writeTo(out);
            out.flush();
            return read();
        } catch (IOException e) {
            throw new NodeUnreachable(node, e);
        }
    }

    private Reply read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by the node");
        }
        String line = readLine();
        return switch (type) {
            case '+' -> new Reply.Simple(line);
            case '-' -> Reply.Error.parse(line);
            case ':' -> new Reply.Int(Long.parseLong(line));
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield new Reply.Bulk(null);
                }
                byte[] bytes = in.readNBytes(length);
                if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("truncated bulk reply");
                }
                yield new Reply.Bulk(new String(bytes, StandardCharsets.UTF_8));
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    yield new Reply.Array(null);
                }
                List<Reply> elements = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    elements.add(read());
                }
                yield new Reply.Array(elements);
            }
            default -> throw new IOException("not a RESP2 reply (type byte " + type + ")");
        };
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed mid-reply");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("malformed RESP line");
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("RESP line too long");
            }
            line.write(b);
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Nothing to do about a failed close.
            }
        }
    }
}
