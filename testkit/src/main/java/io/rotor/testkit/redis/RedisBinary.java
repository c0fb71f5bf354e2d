package io.rotor.testkit.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import redis.embedded.core.ExecutableProvider;
import redis.embedded.model.OsArchitecture;

/**
 * The {@code redis-server} executable a {@link RedisServerProcess} runs.
 *
 * <p>Choice, in order: the system property {@value #PROPERTY} ({@code embedded}, {@code path}, or the path of an
 * executable); else {@code redis-server} on {@code PATH}; else the binary that embedded-redis ships in its jar.
 * CI installs Redis 7 from the distribution, developers without it get the jar's 6.2 — both must pass the suite.
 */
public record RedisBinary(Path path, Source source, String version) {

    /** System property that forces a binary: {@code embedded}, {@code path}, or a filesystem path. */
    public static final String PROPERTY = "redis.server";

    private static final Logger LOG = Logger.getLogger(RedisBinary.class);
    private static final Pattern VERSION = Pattern.compile("v=(\\d+\\.\\d+\\.\\d+)");

    public enum Source {
        /** Named by the system property. */
        EXPLICIT,
        /** Found on {@code PATH}. */
        PATH,
        /** Extracted from the embedded-redis jar. */
        EMBEDDED
    }

    /** Resolves from this JVM's system property and {@code PATH}. */
    public static RedisBinary resolve() {
        return resolve(System.getProperty(PROPERTY), System.getenv("PATH"));
    }

    static RedisBinary resolve(String forced, String searchPath) {
        String choice = forced == null ? "" : forced.trim();
        RedisBinary binary = switch (choice) {
            case "embedded" -> embedded();
            case "path" -> onPath(searchPath).orElseThrow(() -> new IllegalStateException(
                    PROPERTY + "=path but no executable redis-server is on PATH"));
            case "" -> onPath(searchPath).orElseGet(RedisBinary::embedded);
            default -> explicit(Path.of(choice));
        };
        LOG.debugf("Using redis-server %s from %s (%s)", binary.version(), binary.path(), binary.source());
        return binary;
    }

    /** The major version, for tests whose expectations differ between Redis 6 and 7. */
    public int majorVersion() {
        int dot = version.indexOf('.');
        return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    }

    static Optional<RedisBinary> onPath(String searchPath) {
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new RedisBinary(candidate, Source.PATH, versionOf(candidate)));
            }
        }
        return Optional.empty();
    }

    static RedisBinary explicit(Path path) {
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(PROPERTY + " names " + path + ", which is not an executable file");
        }
        return new RedisBinary(path, Source.EXPLICIT, versionOf(path));
    }

    /**
     * Extracts the jar's binary into a per-user cache directory and reuses it across JVMs. embedded-redis's own
     * provider copies 10 MB into a fresh temp directory on every call and overwrites in place, which fails with
     * "text file busy" when another JVM runs the same file; a write to a temporary name plus an atomic rename does not.
     */
    static RedisBinary embedded() {
        String resource = ExecutableProvider.newProvidedVersionsMap().get(OsArchitecture.detectOSandArchitecture());
        if (resource == null) {
            throw new IllegalStateException("embedded-redis ships no redis-server for this OS and architecture");
        }
        Path cacheDir = Path.of(System.getProperty("java.io.tmpdir"),
                "rotor-testkit-redis-" + System.getProperty("user.name", "user"));
        Path target = cacheDir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        // The resource name carries the Redis version and a partial file never has the target name, so an
        // existing target is complete and current.
        if (!Files.isExecutable(target)) {
            try (InputStream in = ExecutableProvider.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("embedded-redis jar lacks " + resource);
                }
                Files.createDirectories(cacheDir);
                Path temp = Files.createTempFile(cacheDir, "redis-server", ".part");
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                if (!temp.toFile().setExecutable(true, true)) {
                    throw new IOException("Cannot mark " + temp + " executable");
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot extract embedded redis-server to " + target, e);
            }
        }
        return new RedisBinary(target, Source.EMBEDDED, versionOf(target));
    }

    private static String versionOf(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Matcher matcher = VERSION.matcher(output);
            if (!matcher.find()) {
                throw new IllegalStateException(binary + " --version printed no version: " + output.strip());
            }
            return matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + binary + " --version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking " + binary + " for its version", e);
        }
    }
}
