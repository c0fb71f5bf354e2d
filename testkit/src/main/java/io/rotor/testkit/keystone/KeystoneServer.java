package io.rotor.testkit.keystone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A real Keystone (Debian {@code python3-keystone} under uWSGI, sqlite in WAL mode, one process with one thread,
 * fernet tokens) on 127.0.0.1 and a free port, with its state in a private temporary directory. It is driven by the
 * same {@code keystone-up.sh} / {@code keystone-down.sh} a person or CI runs by hand (this package's resources), so
 * there is one recipe. {@link #close()} stops it and deletes the directory.
 *
 * <p>The first start creates the database (about 13 s on two cores, plus about 50 s when the packages are missing
 * and must be installed, which needs root); a {@link #restart restart} keeps the database and takes about 6 s.
 */
public final class KeystoneServer implements Keystone {

    /** System property: {@code auto} (default) lets the script apt-get install missing packages, {@code never} not. */
    public static final String INSTALL_PROPERTY = "keystone.install";

    private static final Logger LOG = Logger.getLogger(KeystoneServer.class);
    private static final String RESOURCES = "/io/rotor/testkit/keystone/";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

    private final Path dir;
    private final Path home;
    private final Path up;
    private final Path down;
    private final Path launcherLog;
    private final int port;
    private final boolean install;
    private int hashRounds;
    private SecurityCompliance rules;
    private URI url;
    private String adminPassword;
    private Duration lastStartDuration;
    private Thread stopOnExit;

    private KeystoneServer(Builder builder) throws IOException {
        this.dir = Files.createTempDirectory("rotor-keystone-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.home = dir.resolve("state");
        this.up = extract("keystone-up.sh");
        this.down = extract("keystone-down.sh");
        this.launcherLog = dir.resolve("launcher.log");
        this.port = builder.port != null ? builder.port : freePort();
        this.install = builder.install;
        this.hashRounds = builder.hashRounds;
        this.rules = builder.rules;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized URI url() {
        return url;
    }

    @Override
    public synchronized String adminPassword() {
        return adminPassword;
    }

    public int port() {
        return port;
    }

    /** The bcrypt cost new passwords are hashed with. */
    public synchronized int hashRounds() {
        return hashRounds;
    }

    @Override
    public synchronized SecurityCompliance rules() {
        return rules;
    }

    /** From the server's start to the first successful login, for the last start. */
    public synchronized Duration lastStartDuration() {
        return lastStartDuration;
    }

    /** Keystone's own log (config, errors, tracebacks): the first place to look when a test sees a 500. */
    public Path logDirectory() {
        return home.resolve("log");
    }

    @Override
    public synchronized void reconfigure(SecurityCompliance newRules) {
        restart(newRules, hashRounds);
    }

    @Override
    public boolean reconfigurable() {
        return true;
    }

    /**
     * Stops Keystone and starts it again with other rules and bcrypt cost. The database, keys and users stay; a new
     * cost applies to passwords set from now on (existing hashes keep theirs).
     */
    public synchronized void restart(SecurityCompliance newRules, int newHashRounds) {
        stopProcess();
        this.rules = Objects.requireNonNull(newRules, "rules");
        this.hashRounds = newHashRounds;
        launch();
    }

    @Override
    public void elapse(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Keystone's clock", e);
        }
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public boolean real() {
        return true;
    }

    @Override
    public synchronized void close() {
        stopProcess();
        deleteRecursively(dir);
    }

    @Override
    public String toString() {
        return "KeystoneServer[" + url + ", bcrypt cost " + hashRounds + "]";
    }

    private synchronized KeystoneServer start() {
        launch();
        return this;
    }

    private void launch() {
        try {
            Path extraConf = dir.resolve("extra.conf");
            Files.writeString(extraConf, rules.toIni(), StandardCharsets.UTF_8);
            Map<String, String> env = new HashMap<>();
            env.put("KS_HOME", home.toString());
            env.put("KS_PORT", Integer.toString(port));
            env.put("KS_HASH_ROUNDS", Integer.toString(hashRounds));
            env.put("KS_EXTRA_CONF", extraConf.toString());
            env.put("KS_INSTALL", install ? "auto" : "never");
            long started = System.nanoTime();
            Map<String, String> out = run(up, env);
            this.url = URI.create(required(out, "KEYSTONE_URL"));
            this.adminPassword = Files.readString(Path.of(required(out, "KEYSTONE_ADMIN_PASSWORD_FILE")),
                    StandardCharsets.UTF_8);
            this.lastStartDuration = Duration.ofMillis(Math.round(
                    Double.parseDouble(required(out, "KEYSTONE_START_SECONDS")) * 1000));
            if (stopOnExit == null) {
                stopOnExit = new Thread(this::stopProcessQuietly, "keystone-stop-on-exit");
                Runtime.getRuntime().addShutdownHook(stopOnExit);
            }
            LOG.infof("Keystone up at %s (bcrypt cost %d) in %d ms, server ready %d ms after its start", url,
                    hashRounds, Duration.ofNanos(System.nanoTime() - started).toMillis(),
                    lastStartDuration.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Keystone in " + dir, e);
        }
    }

    private void stopProcess() {
        if (!Files.exists(home)) {
            return;
        }
        try {
            run(down, Map.of("KS_HOME", home.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop Keystone in " + dir, e);
        }
        url = null;
        if (stopOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // Called from the hook itself.
            }
            stopOnExit = null;
        }
    }

    private void stopProcessQuietly() {
        try {
            run(down, Map.of("KS_HOME", home.toString()));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Could not stop Keystone in %s: %s", dir, e.getMessage());
        }
    }

    /** Runs one of the scripts; returns its KEY=VALUE stdout lines; its stderr goes to launcher.log. */
    private Map<String, String> run(Path script, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(launcherLog.toFile()));
        pb.environment().putAll(env);
        Process process = pb.start();
        process.getOutputStream().close();
        String stdout;
        try (InputStream in = process.getInputStream()) {
            stdout = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!process.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new KeystoneStartupException(script.getFileName() + " did not finish in " + SCRIPT_TIMEOUT,
                        tail(launcherLog));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new KeystoneStartupException("interrupted while running " + script.getFileName(), List.of());
        }
        if (process.exitValue() != 0) {
            throw new KeystoneStartupException(script.getFileName() + " failed with exit code " + process.exitValue(),
                    tail(launcherLog));
        }
        Map<String, String> values = new HashMap<>();
        stdout.lines().map(line -> line.split("=", 2)).filter(kv -> kv.length == 2)
                .forEach(kv -> values.put(kv[0], kv[1]));
        return values;
    }

    private String required(Map<String, String> out, String key) {
        String value = out.get(key);
        if (value == null) {
            throw new KeystoneStartupException("keystone-up.sh did not report " + key, tail(launcherLog));
        }
        return value;
    }

    private Path extract(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = KeystoneServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name);
            }
            Files.copy(in, target);
        }
        return target;
    }

    private static List<String> tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return List.copyOf(lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("Could not delete %s: %s", root, e.getMessage());
        }
    }

    public static final class Builder {
        private Integer port;
        private int hashRounds = 4;
        private SecurityCompliance rules = SecurityCompliance.none();
        private boolean install = !"never".equals(System.getProperty(INSTALL_PROPERTY, "auto"));

        private Builder() {
        }

        /** A fixed port on 127.0.0.1; by default a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** bcrypt cost, 4..31. Keystone's default is 12; tests want 4 (about 20 password changes/s instead of 2). */
        public Builder hashRounds(int hashRounds) {
            if (hashRounds < 4 || hashRounds > 31) {
                throw new IllegalArgumentException("bcrypt cost must be 4..31");
            }
            this.hashRounds = hashRounds;
            return this;
        }

        public Builder rules(SecurityCompliance rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /** Whether the script may apt-get install missing packages (needs root). Default: {@value #INSTALL_PROPERTY}. */
        public Builder install(boolean install) {
            this.install = install;
            return this;
        }

        public KeystoneServer start() {
            KeystoneServer server;
            try {
                server = new KeystoneServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot prepare a Keystone directory", e);
            }
            try {
                return server.start();
            } catch (RuntimeException e) {
                try {
                    server.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }
}
