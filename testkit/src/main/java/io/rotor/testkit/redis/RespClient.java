package io.rotor.testkit.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking RESP2 client: enough to probe a server, manage ACLs and authenticate, without pulling a Redis
 * client library into every module that uses the testkit. One connection, one thread; not pooled.
 *
 * <p>Command arguments are never logged or put into exception messages, because ACL commands carry passwords.
 */
public final class RespClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** Opens a connection; {@code timeout} bounds both the connect and every read. */
    public static RespClient connect(String host, int port, Duration timeout) {
        Socket socket = new Socket();
        try {
            int millis = Math.toIntExact(timeout.toMillis());
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
            return new RespClient(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("Cannot connect to Redis at " + host + ":" + port, e);
        }
    }

    /** Sends one command and reads its reply. An error reply is returned, not thrown. */
    public RespReply call(String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("A command needs at least its name");
        }
        try {
            out.write(encode(args));
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis command " + args[0] + " failed on the connection", e);
        }
    }

    /** Sends a command that must succeed and returns its text; an error reply becomes an exception. */
    public String callText(String... args) {
        RespReply reply = call(args);
        if (reply instanceof RespReply.ErrorReply error) {
            throw new RedisCommandException(args[0], error);
        }
        return reply.text();
    }

    /**
     * {@code AUTH user password} on this connection. Returns false when Redis refuses the pair, so a test can assert
     * that an old password stopped working.
     */
    public boolean auth(String user, String password) {
        RespReply reply = call("AUTH", user, password);
        return !reply.isError();
    }

    public RespReply ping() {
        return call("PING");
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static byte[] encode(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        writeLine(buffer, "*" + args.length);
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            writeLine(buffer, "$" + bytes.length);
            buffer.writeBytes(bytes);
            buffer.writeBytes(CRLF);
        }
        return buffer.toByteArray();
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private static void writeLine(ByteArrayOutputStream buffer, String line) {
        buffer.writeBytes(line.getBytes(StandardCharsets.US_ASCII));
        buffer.writeBytes(CRLF);
    }

    private RespReply read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("Redis closed the connection");
        }
        String line = readLine();
        return switch (type) {
            case '+' -> new RespReply.SimpleString(line);
            case '-' -> new RespReply.ErrorReply(line);
            case ':' -> new RespReply.IntegerReply(Long.parseLong(line));
            case '$' -> readBulk(Integer.parseInt(line));
            case '*' -> readArray(Integer.parseInt(line));
            default -> throw new IOException("Unexpected RESP type byte " + type);
        };
    }

    private RespReply readBulk(int length) throws IOException {
        if (length < 0) {
            return new RespReply.NullReply();
        }
        byte[] data = in.readNBytes(length);
        if (data.length < length || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("Truncated bulk string");
        }
        return new RespReply.BulkString(new String(data, StandardCharsets.UTF_8));
    }

    private RespReply readArray(int count) throws IOException {
        if (count < 0) {
            return new RespReply.NullReply();
        }
        List<RespReply> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(read());
        }
        return new RespReply.ArrayReply(items);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("Redis closed the connection mid-reply");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to release: the socket is unusable either way.
        }
    }
}
