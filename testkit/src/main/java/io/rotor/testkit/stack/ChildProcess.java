package io.rotor.testkit.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A JVM (or other program) Rotor's system tests and local stack run as its own process, with its output in a log
 * file. Readiness is a line in that log or an HTTP endpoint answering 200; stopping is SIGTERM, then SIGKILL after a
 * grace period.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChildProcess.class);

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Runs {@code mainClass} in a new JVM with this JVM's classpath. */
    public static ChildProcess javaMain(String name, Class<?> mainClass, List<String> args, Map<String, String> env,
            Path log) {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        return start(name, command, env, log);
    }

    /** Runs a packaged application such as {@code target/quarkus-app/quarkus-run.jar}. */
    public static ChildProcess javaJar(String name, Path jar, List<String> jvmArgs, Map<String, String> env, Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + ": " + jar + " does not exist; build it first (./mvnw package)");
        }
        List<String> command = new ArrayList<>(List.of(javaExecutable()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        return start(name, command, env, log);
    }

    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().putAll(env);
            Process process = builder.start();
            LOG.debugf("%s started as pid %d, log %s", name, process.pid(), log);
            return new ChildProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Waits for a log line matching {@code pattern} and returns its first group (or the whole line). */
    public String awaitLogLine(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> found = findInLog(pattern);
            if (found.isPresent()) {
                return found.get();
            }
            requireAlive();
            pause();
        }
        throw new IllegalStateException(name + " did not log /" + pattern + "/ within " + timeout + "; last lines:\n"
                + tail(30));
    }

    /** Waits until {@code url} answers 200. */
    public void awaitHttpOk(String url, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            requireAlive();
            pause();
        }
        throw new IllegalStateException(name + " did not answer 200 on " + url + " within " + timeout
                + "; last lines:\n" + tail(30));
    }

    public Optional<String> findInLog(Pattern pattern) {
        for (String line : lines()) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return Optional.of(m.groupCount() > 0 ? m.group(1) : line);
            }
        }
        return Optional.empty();
    }

    public String tail(int lines) {
        List<String> all = lines();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public List<String> lines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            // A line cut in the middle of a multi-byte character while the child writes: read it on the next try.
            return List.of();
        }
    }

    public Path log() {
        return log;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("%s did not stop within %s; killing it", name, grace);
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** SIGKILL: the process gets no chance to clean up, as in a crash. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(15));
    }

    private void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; last lines:\n" + tail(40));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
