package io.rotor.testkit.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * A real {@code redis-server} process bound to 127.0.0.1 on a free port, with its own working directory (config,
 * ACL file, data, log). Built with {@link #builder()}; {@link #close()} stops it and deletes the directory.
 *
 * <p>{@link #kill()} ends it with SIGKILL, as a crashed node; {@link #restart()} starts it again on the same port and
 * directory, so it reloads whatever its ACL file held — which is only what {@code ACL SAVE} wrote, as in production.
 */
public final class RedisServerProcess implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    private static final Logger LOG = Logger.getLogger(RedisServerProcess.class);
    private static final int PORT_ATTEMPTS = 3;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** Poll interval while waiting for PING: short, because startup takes a few milliseconds to a few hundred. */
    private static final long READY_POLL_MILLIS = 20;

    private final RedisBinary binary;
    private final Path workDir;
    private final Path configFile;
    private final Path logFile;
    private final Optional<Path> aclFile;
    private final Optional<String> defaultUserPassword;
    private final List<String> directives;
    private final Duration startupTimeout;
    private int port;
    private Process process;
    private Thread killOnExit;

    private RedisServerProcess(Builder builder, RedisBinary binary, Path workDir) {
        this.binary = binary;
        this.workDir = workDir;
        this.configFile = workDir.resolve("redis.conf");
        this.logFile = workDir.resolve("redis.log");
        this.aclFile = builder.aclFileEnabled ? Optional.of(workDir.resolve("users.acl")) : Optional.empty();
        this.defaultUserPassword = Optional.ofNullable(builder.defaultUserPassword);
        this.directives = List.copyOf(builder.directives);
        this.startupTimeout = builder.startupTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return HOST;
    }

    public synchronized int port() {
        return port;
    }

    public RedisBinary binary() {
        return binary;
    }

    public Path workDirectory() {
        return workDir;
    }

    /** The ACL file this server loads at start and {@code ACL SAVE} writes, when built with ACL users. */
    public Optional<Path> aclFile() {
        return aclFile;
    }

    /** The lines of the ACL file as they are on disk now (passwords appear only as SHA-256 hashes there). */
    public List<String> readAclFile() {
        Path file = aclFile.orElseThrow(() -> new IllegalStateException("This server has no ACL file"));
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** A new, unauthenticated connection. */
    public RespClient connect() {
        return RespClient.connect(HOST, port(), CONNECT_TIMEOUT);
    }

    /** A new connection authenticated as the {@code default} user when it has a password, else unauthenticated. */
    public RespClient connectAsDefaultUser() {
        RespClient client = connect();
        defaultUserPassword.ifPresent(password -> {
            if (!client.auth("default", password)) {
                client.close();
                throw new IllegalStateException("The default user's configured password was refused on port " + port);
            }
        });
        return client;
    }

    Optional<String> defaultUserPassword() {
        return defaultUserPassword;
    }

    /** Graceful stop (SIGTERM), as an orderly node shutdown. Does nothing if it is not running. */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("redis-server on port %d ignored SIGTERM for %s; killing it", port, STOP_TIMEOUT);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        releaseExitHook();
        LOG.infof("Stopped redis-server on port %d", port);
    }

    /** SIGKILL: the node disappears without saving anything, as on a crash or a lost machine. */
    public synchronized void kill() {
        if (!isRunning()) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releaseExitHook();
        LOG.infof("Killed redis-server on port %d", port);
    }

    /**
     * Starts the server again on the same port and directory, stopping it first if it still runs. Fails if another
     * process took the port in between; that is rare on loopback but possible on a busy machine.
     */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** The last {@code lines} lines of the server's log (stdout and stderr of every start, appended). */
    public List<String> logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return List.of();
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of("(cannot read " + logFile + ": " + e.getMessage() + ")");
        }
    }

    @Override
    public synchronized void close() {
        stop();
        deleteRecursively(workDir);
    }

    @Override
    public String toString() {
        return "RedisServerProcess[" + HOST + ":" + port + ", redis " + binary.version() + "]";
    }

    private synchronized void startOnFreePort(Integer fixedPort) {
        for (int attempt = 1; ; attempt++) {
            port = fixedPort != null ? fixedPort : freePort();
            try {
                // Each attempt gets a fresh log, so the clash check below reads only this attempt's lines.
                Files.deleteIfExists(logFile);
                launch();
                return;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot reset " + logFile, e);
            } catch (RedisStartupException e) {
                // Another process can grab the port between our probe and redis binding it; only then retry.
                if (fixedPort != null || attempt >= PORT_ATTEMPTS || !e.addressInUse()) {
                    throw e;
                }
                LOG.infof("Port %d was taken before redis-server bound it; trying another", port);
            }
        }
    }

    private void launch() {
        writeConfig();
        long started = System.nanoTime();
        try {
            process = new ProcessBuilder(binary.path().toString(), configFile.toString())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + binary.path(), e);
        }
        Process launched = process;
        // A test JVM that dies without close() must not leave redis-server processes behind.
        killOnExit = new Thread(launched::destroyForcibly, "redis-server-" + port + "-reaper");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        awaitPing(started);
    }

    private void awaitPing(long startedNanos) {
        long deadline = startedNanos + startupTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                releaseExitHook();
                throw new RedisStartupException("redis-server exited with code " + process.exitValue()
                        + " while starting on port " + port, logTail(20));
            }
            if (answersPing()) {
                LOG.infof("Started redis-server %s (%s) on %s:%d in %d ms (pid %d)", binary.version(),
                        binary.source(), HOST, port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos),
                        process.pid());
                return;
            }
            try {
                Thread.sleep(READY_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                throw new RedisStartupException("Interrupted while waiting for redis-server on port " + port,
                        logTail(20));
            }
        }
        kill();
        throw new RedisStartupException("redis-server did not answer PING on port " + port + " within "
                + startupTimeout, logTail(20));
    }

    /** PONG, or NOAUTH when the default user has a password: either way the server is serving commands. */
    private boolean answersPing() {
        try (RespClient client = RespClient.connect(HOST, port, CONNECT_TIMEOUT)) {
            RespReply reply = client.ping();
            return reply instanceof RespReply.SimpleString pong && "PONG".equals(pong.value())
                    || reply instanceof RespReply.ErrorReply error && "NOAUTH".equals(error.code());
        } catch (UncheckedIOException notYetListening) {
            return false;
        }
    }

    private void writeConfig() {
        List<String> lines = new ArrayList<>();
        lines.add("port " + port);
        lines.add("bind " + HOST);
        lines.add("daemonize no");
        lines.add("logfile \"\"");
        lines.add("dir " + quote(workDir.toString()));
        // Tests that need persistence across restarts ask for it with config("save", ...); by default nothing is
        // written so a restart starts from the ACL file alone.
        lines.add("save \"\"");
        lines.add("appendonly no");
        // Redis 7 syncs replicas diskless and waits 5 s for more replicas to join first; a test wants them now.
        lines.add("repl-diskless-sync-delay 0");
        aclFile.ifPresent(file -> lines.add("aclfile " + quote(file.toString())));
        // With an aclfile, Redis takes the default user from that file and ignores requirepass, so the password
        // goes into the file (see Builder#start); requirepass only without one.
        if (aclFile.isEmpty()) {
            defaultUserPassword.ifPresent(password -> lines.add("requirepass " + quote(password)));
        }
        lines.addAll(directives);
        try {
            Files.write(configFile, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + configFile, e);
        }
    }

    private void releaseExitHook() {
        if (killOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException jvmAlreadyShuttingDown) {
                // The hook runs anyway; nothing to undo.
            }
            killOnExit = null;
        }
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("Could not delete %s: %s", dir, e.getMessage());
        }
    }

    /** Configures one server; {@link #start()} writes its files, launches it and waits until it answers PING. */
    public static final class Builder {

        private final List<AclUser> aclUsers = new ArrayList<>();
        private final List<String> directives = new ArrayList<>();
        private boolean aclFileEnabled;
        private String defaultUserPassword;
        private RedisBinary binary;
        private Integer port;
        private Duration startupTimeout = Duration.ofSeconds(20);

        private Builder() {
        }

        /** Adds a user to the ACL file the server loads; implies {@link #withAclFile()}. */
        public Builder aclUser(AclUser user) {
            aclUsers.add(Objects.requireNonNull(user));
            aclFileEnabled = true;
            return this;
        }

        /** Runs with an {@code aclfile}, so {@code ACL SAVE} and {@code ACL LOAD} work, even without initial users. */
        public Builder withAclFile() {
            aclFileEnabled = true;
            return this;
        }

        /** Password of the {@code default} user: {@code requirepass}, or the default user's line in the ACL file. */
        public Builder defaultUserPassword(String password) {
            this.defaultUserPassword = Objects.requireNonNull(password);
            return this;
        }

        /** Makes this server a replica of another ({@code replicaof}). */
        public Builder replicaOf(String host, int primaryPort) {
            return config("replicaof", host, Integer.toString(primaryPort));
        }

        /** The password this replica authenticates to its primary with ({@code masterauth}), as its default user. */
        public Builder primaryPassword(String password) {
            return config("masterauth", password);
        }

        /** Any other redis.conf directive, for example {@code config("save", "60", "1")}. */
        public Builder config(String directive, String... arguments) {
            StringBuilder line = new StringBuilder(directive);
            for (String argument : arguments) {
                line.append(' ').append(quote(argument));
            }
            directives.add(line.toString());
            return this;
        }

        /** Overrides {@link RedisBinary#resolve()}. */
        public Builder binary(RedisBinary binary) {
            this.binary = Objects.requireNonNull(binary);
            return this;
        }

        /** A fixed port instead of a free one; startup then does not retry on a port clash. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public RedisServerProcess start() {
            RedisBinary resolved = binary != null ? binary : RedisBinary.resolve();
            Path workDir;
            try {
                workDir = Files.createTempDirectory("rotor-redis-");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a working directory for redis-server", e);
            }
            RedisServerProcess server = new RedisServerProcess(this, resolved, workDir);
            try {
                server.aclFile.ifPresent(this::writeAclFile);
                server.startOnFreePort(port);
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }

        private void writeAclFile(Path file) {
            List<String> lines = new ArrayList<>();
            boolean hasDefault = aclUsers.stream().anyMatch(user -> user.name().equals("default"));
            if (!hasDefault && defaultUserPassword != null) {
                lines.add(AclUser.fullAccess("default", defaultUserPassword).aclFileLine());
            }
            aclUsers.forEach(user -> lines.add(user.aclFileLine()));
            try {
                Files.write(file, lines, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + file, e);
            }
        }
    }
}
