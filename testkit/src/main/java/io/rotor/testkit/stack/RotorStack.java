package io.rotor.testkit.stack;

import io.rotor.contracts.sealing.Keyring;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.testkit.kafka.ScramKafkaBroker;
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
import java.util.TreeSet;
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
     * @param kafkaUsers  Strimzi KafkaUsers (deploy's {@code users.yaml}): the broker then takes SASL/SCRAM logins
     *                    only and enforces those users' ACLs, and each service logs in as its own user; null: a
     *                    plaintext broker open to every client (the local stack, where users drive it with kcat)
     */
    public record Options(Path repository, Path workDir, int kafkaPort, int sandboxPort, List<String> sandboxArgs,
            boolean recordApiCalls, List<ServiceSpec> services, Path kafkaUsers) {

        public Options(Path repository, Path workDir, int kafkaPort, int sandboxPort, List<String> sandboxArgs,
                boolean recordApiCalls, List<ServiceSpec> services) {
            this(repository, workDir, kafkaPort, sandboxPort, sandboxArgs, recordApiCalls, services, null);
        }
    }

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
        for (String audience : new TreeSet<>(ServiceSpec.ALL_KEYRINGS)) {
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
     * Writes the endpoint policy: the local platforms on loopback, plain http allowed (the stand-ins serve no TLS).
     * Each service's keyrings are written when it starts ({@link #writeKeyrings}): only those its Deployment mounts,
     * as Secret volumes hold them ({@code sealing/<service>/<audience>/stack} and {@code primary}), readable by this
     * user only — so a rotator here, as on a cluster, has no file from which to open another platform's values.
     */
    private void writeMounts() {
        try {
            writePrivate(policyFile(), LOCAL_POLICY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stack's endpoint policy under " + options.workDir(), e);
        }
    }

    private void writeKeyrings(ServiceSpec service) {
        try {
            for (String audience : service.keyrings()) {
                Path dir = sealingDir(service).resolve(audience);
                Files.createDirectories(dir);
                writePrivate(dir.resolve(KEY_ID), keyrings.get(audience));
                writePrivate(dir.resolve(Keyring.PRIMARY_ENTRY), KEY_ID);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + service.name() + "'s keyrings under "
                    + options.workDir(), e);
        }
    }

    /** A file only this user may read, as a Secret volume would hold it. */
    static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }

    /** The keyrings the service holds, one directory per audience, as its Deployment mounts them. */
    public Path sealingDir(ServiceSpec service) {
        return options.workDir().resolve("sealing").resolve(service.name());
    }

    private Path kafkaCredentials() {
        return options.workDir().resolve("kafka-users");
    }

    private Path policyFile() {
        return options.workDir().resolve("endpoint-policy.yaml");
    }

    private void startInfrastructure() {
        writeMounts();
        Path logs = options.workDir().resolve("logs");
        List<String> kafkaArgs = new ArrayList<>(List.of("--data", options.workDir().resolve("kafka").toString(),
                "--port", String.valueOf(options.kafkaPort())));
        if (options.kafkaUsers() != null) {
            kafkaArgs.addAll(List.of("--users", options.kafkaUsers().toString(), "--credentials",
                    kafkaCredentials().toString()));
        }
        kafka = ChildProcess.javaMain("kafka", KafkaMain.class, kafkaArgs, Map.of(), logs.resolve("kafka.log"));
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
        writeKeyrings(service);
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

    /**
     * What every service is told: where Kafka and the API server are and who it is there, its sealing keys (none:
     * no directory, as the pod restarter's Deployment has none), its ports.
     */
    private Map<String, String> baseEnvironment(ServiceSpec service) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        if (options.kafkaUsers() != null) {
            // As deploy's Deployments say it (there over TLS; the stack's broker speaks SASL without TLS).
            env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
            env.put("KAFKA_SASL_MECHANISM", ScramKafkaBroker.MECHANISM);
            env.put("KAFKA_SASL_JAAS_CONFIG", ScramKafkaBroker.scramJaas(service.kafkaUser(),
                    kafkaPassword(service.kafkaUser())));
        }
        env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiServerUrl);
        env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
        // The sandbox tells callers apart by token; RBAC checks compare each service's calls with its Role.
        env.put("QUARKUS_KUBERNETES_CLIENT_TOKEN", service.name());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(service.port()));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // Only read by a service whose management interface is enabled; it would otherwise listen on 0.0.0.0.
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        if (!service.keyrings().isEmpty()) {
            env.put("ROTOR_SEALING_DIR", sealingDir(service).toString());
        }
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

    /**
     * Client properties (producer, consumer, admin) that log in as the Kafka user {@code user} — a service's, to act
     * as that service would, or {@link KafkaMain#SUPER_USER} to read and inspect everything; just the bootstrap
     * servers when the broker does not authenticate.
     */
    public Map<String, Object> kafkaClientConfig(String user) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        if (options.kafkaUsers() != null) {
            config.put("security.protocol", "SASL_PLAINTEXT");
            config.put("sasl.mechanism", ScramKafkaBroker.MECHANISM);
            config.put("sasl.jaas.config", ScramKafkaBroker.scramJaas(user, kafkaPassword(user)));
        }
        return config;
    }

    /** The passwords of the broker's users, for tests that check no log or record carries one. */
    public List<String> kafkaPasswords() {
        if (options.kafkaUsers() == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(kafkaCredentials())) {
            List<String> passwords = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                passwords.add(Files.readString(file, StandardCharsets.US_ASCII));
            }
            return passwords;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kafka users' passwords under " + kafkaCredentials(), e);
        }
    }

    private String kafkaPassword(String user) {
        Path file = kafkaCredentials().resolve(user);
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("no Kafka user " + user + " in the stack (" + file + ")", e);
        }
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
