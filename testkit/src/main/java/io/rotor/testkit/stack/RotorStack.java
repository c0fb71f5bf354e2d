package io.rotor.testkit.stack;

import io.rotor.contracts.sealing.Keyring;
import io.rotor.contracts.sealing.SealingKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Rotor as it runs for real, on one machine: a KRaft broker and the Kubernetes sandbox each in their own process,
 * and every service as its own JVM from its packaged {@code quarkus-run.jar}. The system tests and the local stack
 * both use it. Platforms (redis-server, fakes, Keystone) are the caller's: it passes their addresses in the
 * sandbox's resources and the services' environment.
 */
public final class RotorStack implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RotorStack.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    /**
     * @param repository the checkout, where each service's {@code <module>/target/quarkus-app} is
     * @param workDir    where logs and Kafka's data go
     * @param sandboxArgs extra {@link SandboxMain} arguments ({@code --namespace}, {@code --load}, ...)
     */
    public record Options(Path repository, Path workDir, int kafkaPort, int sandboxPort, List<String> sandboxArgs,
            boolean recordApiCalls, List<ServiceSpec> services) {
    }

    private static final List<String> AUDIENCES = List.of("redis", "openstack", "configui");
    private static final String KEY_ID = "stack";
    private static final String LOCAL_POLICY = """
            # The local stack's platforms: stand-ins and redis-server on loopback, without TLS.
            namespaces:
              "*":
                redis-acl: {hosts: ["127.0.0.1", "localhost"], allowHttp: true}
                redis-enterprise: {hosts: ["127.0.0.1", "localhost"], allowHttp: true}
                openstack-keystone: {hosts: ["127.0.0.1", "localhost"], allowHttp: true}
                configui: {hosts: ["127.0.0.1", "localhost"], allowHttp: true}
                vault: {hosts: ["127.0.0.1", "localhost"], allowHttp: true}
            """;

    private final Options options;
    /** One keyring per audience, each its own key: a service given the wrong one cannot open another's values. */
    private final Map<String, String> keyrings = new LinkedHashMap<>();
    private final Map<String, ChildProcess> services = Collections.synchronizedMap(new LinkedHashMap<>());
    private ChildProcess kafka;
    private ChildProcess sandbox;
    private String bootstrapServers;
    private String apiServerUrl;

    private RotorStack(Options options) {
        this.options = options;
        SecureRandom random = new SecureRandom();
        for (String audience : AUDIENCES) {
            keyrings.put(audience, Keyring.generateKey(random));
        }
    }

    /** Starts Kafka, the sandbox and every service, and returns once each service reports ready. */
    public static RotorStack start(Options options) {
        RotorStack stack = new RotorStack(options);
        try {
            stack.startInfrastructure();
            for (ServiceSpec service : options.services()) {
                stack.startService(service);
            }
            for (ServiceSpec service : options.services()) {
                stack.awaitReady(service);
            }
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * Writes each audience's keyring as a Secret volume would hold it ({@code sealing/<audience>/stack} and
     * {@code primary}), readable by this user only, and the endpoint policy: the local platforms on loopback, plain
     * http allowed (the stand-ins serve no TLS).
     */
    private void writeMounts() {
        try {
            for (Map.Entry<String, String> keyring : keyrings.entrySet()) {
                Path dir = sealingDir().resolve(keyring.getKey());
                Files.createDirectories(dir);
                writePrivate(dir.resolve(KEY_ID), keyring.getValue());
                writePrivate(dir.resolve(Keyring.PRIMARY_ENTRY), KEY_ID);
            }
            writePrivate(policyFile(), LOCAL_POLICY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stack's keyrings and policy under "
                    + options.workDir(), e);
        }
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }

    private Path sealingDir() {
        return options.workDir().resolve("sealing");
    }

    private Path policyFile() {
        return options.workDir().resolve("endpoint-policy.yaml");
    }

    private void startInfrastructure() {
        writeMounts();
        Path logs = options.workDir().resolve("logs");
        kafka = ChildProcess.javaMain("kafka", KafkaMain.class, List.of("--data",
                options.workDir().resolve("kafka").toString(), "--port", String.valueOf(options.kafkaPort())),
                Map.of(), logs.resolve("kafka.log"));
        List<String> sandboxArgs = new ArrayList<>(List.of("--port", String.valueOf(options.sandboxPort())));
        sandboxArgs.addAll(options.sandboxArgs());
        if (options.recordApiCalls()) {
            sandboxArgs.addAll(List.of("--record", apiCallsFile().toString()));
        }
        sandbox = ChildProcess.javaMain("kubernetes", SandboxMain.class, sandboxArgs, Map.of(),
                logs.resolve("kubernetes.log"));
        bootstrapServers = kafka.awaitLogLine(Pattern.compile(KafkaMain.READY + "(\\S+)"), START_TIMEOUT);
        apiServerUrl = sandbox.awaitLogLine(Pattern.compile(SandboxMain.READY + "(\\S+)"), START_TIMEOUT);
        LOG.infof("Kafka at %s, Kubernetes API at %s", bootstrapServers, apiServerUrl);
    }

    /** Starts (or restarts) one service; its log is appended to, so a restart shows both lives. */
    public ChildProcess startService(ServiceSpec service) {
        Path jar = options.repository().resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
        Map<String, String> env = new HashMap<>(baseEnvironment(service));
        env.putAll(service.env());
        ChildProcess process = ChildProcess.javaJar(service.name(), jar,
                List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), env,
                options.workDir().resolve("logs").resolve(service.name() + ".log"));
        services.put(service.name(), process);
        return process;
    }

    /** Waits until the service's readiness check answers 200, on its management port if it has one. */
    public void awaitReady(ServiceSpec service) {
        services.get(service.name()).awaitHttpOk("http://127.0.0.1:" + service.healthPort() + "/q/health/ready",
                START_TIMEOUT);
    }

    /** What every service is told: where Kafka and the API server are, the sealing keys, its ports. */
    private Map<String, String> baseEnvironment(ServiceSpec service) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiServerUrl);
        env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
        // The sandbox tells callers apart by token; RBAC checks compare each service's calls with its Role.
        env.put("QUARKUS_KUBERNETES_CLIENT_TOKEN", service.name());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(service.port()));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // Only read by a service whose management interface is enabled; it would otherwise listen on 0.0.0.0.
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("ROTOR_SEALING_DIR", sealingDir().toString());
        env.put("ROTOR_POLICY_FILE", policyFile().toString());
        return env;
    }

    public ChildProcess service(String name) {
        ChildProcess p = services.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no service " + name + " in this stack");
        }
        return p;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String apiServerUrl() {
        return apiServerUrl;
    }

    /** The stack's keyrings, for tests that must open what the services sealed. */
    public SealingKeys sealingKeys() {
        Map<String, String> compact = new LinkedHashMap<>();
        keyrings.forEach((audience, key) -> compact.put(audience, KEY_ID + "=" + key));
        return SealingKeys.parse(compact);
    }

    public Path apiCallsFile() {
        return options.workDir().resolve("api-calls.tsv");
    }

    /** Every log the stack wrote, for scanning (no secret may appear in any of them). */
    public List<Path> logs() throws IOException {
        try (Stream<Path> files = Files.list(options.workDir().resolve("logs"))) {
            return files.sorted().toList();
        }
    }

    @Override
    public void close() {
        List<ChildProcess> running = new ArrayList<>(services.values());
        Collections.reverse(running);
        running.forEach(p -> p.stop(Duration.ofSeconds(20)));
        if (sandbox != null) {
            sandbox.stop(Duration.ofSeconds(10));
        }
        if (kafka != null) {
            kafka.stop(Duration.ofSeconds(30));
        }
    }
}
