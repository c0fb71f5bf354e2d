package io.rotor.local;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.rotor.testkit.stack.KafkaMain;
import io.rotor.testkit.stack.RotorStack;
import io.rotor.testkit.stack.ServiceSpec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rotor on one machine, for trying it out: a KRaft broker, the Kubernetes sandbox loaded with a demo, a real
 * redis-server, stand-ins for Redis Enterprise, Keystone and the Config UI portal, and every Rotor service as its own
 * process. Requests one rotation and prints it step by step, then runs until Ctrl-C.
 *
 * <p>The arguments, their defaults and their checks are {@link LauncherOptions}'s ({@code ./rotor-local --help}); bad
 * input is one line on stderr and exit code 2, a problem the user can fix at run time ({@link LauncherException}) one
 * line and exit code 1.
 */
public final class LocalStack {

    /** Set when the shutdown hook begins: from then on, failures are the shutdown's doing and not reported. */
    private static volatile boolean stopping;

    private LocalStack() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(List.of(args), Path.of(System.getProperty("rotor.repository", ".")));
        } catch (LauncherOptions.UsageException e) {
            System.err.println("rotor-local: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            out.print(LauncherOptions.usage());
            return;
        }
        try {
            run(options, out);
        } catch (Exception e) {
            if (stopping) {
                // Ctrl-C (or a kill) while starting or rotating: what failed failed because everything is stopping.
                return;
            }
            System.err.println("rotor-local: " + e.getMessage());
            if (!(e instanceof LauncherException)) {
                e.printStackTrace();
            }
            System.exit(1);
        }
    }

    static void run(LauncherOptions options, PrintStream out) throws Exception {
        quietLibraries();
        Ports ports = Ports.fromBase(options.portBase(), options.kafkaPort(), options.kubernetesPort());
        try (InstanceLock lock = InstanceLock.acquire(options.work().resolve("local.pid"))) {
            ports.requireFree();
            String token = HexFormat.of().formatHex(randomBytes(16));
            out.println("Rotor local stack: starting (logs and Kafka data under " + options.work() + ")");
            List<AutoCloseable> running = new ArrayList<>();
            CountDownLatch stopped = new CountDownLatch(1);
            Thread shutdown = new Thread(() -> {
                stopping = true;
                out.println("\nStopping every process the local stack started...");
                for (int i = running.size() - 1; i >= 0; i--) {
                    try {
                        running.get(i).close();
                    } catch (Exception e) {
                        System.err.println("while stopping: " + e.getMessage());
                    }
                }
                lock.close();
                out.println("Stopped.");
                stopped.countDown();
            }, "rotor-local-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdown);

            DemoPlatforms platforms = DemoPlatforms.start();
            running.add(platforms);
            out.println("  platforms: redis-server on 127.0.0.1:" + platforms.redis.port() + " (real, " + platforms.redis.binary()
                    + "); stand-ins for Redis Enterprise, Keystone and the Config UI portal");
            Path resources = options.work().resolve("demo-resources.yaml");
            Files.createDirectories(options.work());
            Files.deleteIfExists(resources);
            Files.createFile(resources, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(resources, platforms.resources(), StandardCharsets.UTF_8);

            List<ServiceSpec> services = services(ports, token);
            out.println("  starting Kafka, the Kubernetes sandbox and " + services.size() + " services (about a minute)...");
            // With --kafka-sasl the broker takes SASL/SCRAM logins only and enforces deploy's KafkaUsers and ACLs, as on
            // a cluster; by default it takes every client, as kcat users of a local stack expect.
            RotorStack stack = RotorStack.start(new RotorStack.Options(options.repository(), options.work(),
                    ports.kafka(), ports.kubernetes(), List.of("--namespace", DemoPlatforms.NAMESPACE, "--load",
                            resources.toString()), false, services, options.kafkaSasl()
                            ? options.repository().resolve("deploy/kubernetes/base/kafka/users.yaml") : null));
            running.add(stack);
            // The sandbox has loaded them; the file held the demo's initial passwords.
            Files.deleteIfExists(resources);

            out.println();
            out.println("  Dashboard:       http://127.0.0.1:" + ports.orchestrator() + "/#token=" + token);
            out.println("                   (API token for the REST API and the dashboard: " + token + ")");
            out.println("  REST API:        http://127.0.0.1:" + ports.orchestrator() + "/api/v1   (OpenAPI: /q/openapi)");
            out.println("  Management:      http://127.0.0.1:" + ports.orchestratorManagement()
                    + "/q/health, /q/metrics   (the orchestrator's; no token)");
            if (options.kafkaSasl()) {
                out.println("  Kafka:           " + stack.bootstrapServers() + "   (SASL/SCRAM-SHA-512: each service its own"
                        + " user and ACLs as in deploy/; passwords in " + options.work().resolve("kafka-users") + ")");
                out.println("                   e.g. kcat -b " + stack.bootstrapServers()
                        + " -X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=SCRAM-SHA-512 -X sasl.username="
                        + KafkaMain.SUPER_USER + " -X sasl.password=\"$(cat "
                        + options.work().resolve("kafka-users").resolve(KafkaMain.SUPER_USER) + ")\" -C -t rotor.events");
            } else {
                out.println("  Kafka:           " + stack.bootstrapServers()
                        + "   (open to every client; --kafka-sasl runs it with deploy's users and ACLs)");
            }
            out.println("  Kubernetes API:  " + stack.apiServerUrl() + "   (namespace " + DemoPlatforms.NAMESPACE + ")");
            out.println("  Logs:            " + options.work().resolve("logs"));
            out.println();

            if (options.demoRotation()) {
                RotationFollower follower = new RotationFollower(ports.orchestrator(), token, out);
                String credential = DemoPlatforms.NAMESPACE + "/cache-user";
                out.println("Rotating " + credential + " (Redis ACL user 'cache' on the real redis-server):");
                String rotationId = follower.request(credential);
                out.println("  rotation " + rotationId);
                String outcome = follower.follow(rotationId, Duration.ofMinutes(3));
                out.println("  => " + outcome);
                out.println("  Checked: " + check(stack, platforms));
                out.println();
            }
            out.println("Try the dashboard's Rotate and Dry run buttons on the other demo credentials (rec-admin, nova, "
                    + "configui-admin). Ctrl-C stops everything.");
            stopped.await();
        }
    }

    /**
     * Every service as deploy/ runs it: the secret writer and the pod restarter as two processes of one jar (each its
     * own Kafka user), each service holding only the keyrings its Deployment mounts.
     */
    static List<ServiceSpec> services(Ports ports, String token) {
        return List.of(
                new ServiceSpec("orchestrator", "orchestrator", ports.orchestrator(), orchestratorEnv(ports, token)),
                new ServiceSpec("redis-rotator", "redis-rotator", ports.redisRotator(), Map.of())
                        .withKeyrings(Set.of("redis")),
                new ServiceSpec("openstack-rotator", "openstack-rotator", ports.openstackRotator(), Map.of())
                        .withKeyrings(Set.of("openstack")),
                new ServiceSpec("configui-rotator", "configui-rotator", ports.configuiRotator(), Map.of())
                        .withKeyrings(Set.of("configui")),
                new ServiceSpec("k8s-secret-writer", "k8s-secret-writer", ports.secretWriter(),
                        Map.of("ROTOR_RESTARTER_ENABLED", "false")).withKafkaUser("secret-writer"),
                new ServiceSpec("pod-restarter", "k8s-secret-writer", ports.podRestarter(), Map.of(
                        "ROTOR_WRITER_ENABLED", "false", "ROTOR_SERVICE_NAME", "rotor-pod-restarter"))
                        .withKeyrings(Set.of()));
    }

    /**
     * The orchestrator's settings in the local stack: the static API token, which exists only here (on a cluster
     * callers present their own Kubernetes tokens), and its management interface (health, metrics) on its own port on
     * loopback, which is where the stack waits for it to be ready. The API and the dashboard stay on the HTTP port,
     * plain HTTP.
     */
    static Map<String, String> orchestratorEnv(Ports ports, String token) {
        return Map.of(
                "ROTOR_ORCHESTRATOR_API_LOCAL_TOKEN", token,
                "QUARKUS_MANAGEMENT_PORT", String.valueOf(ports.orchestratorManagement()),
                "QUARKUS_MANAGEMENT_HOST", "127.0.0.1",
                "ROTOR_ORCHESTRATOR_REGISTRY_NAMESPACES", DemoPlatforms.NAMESPACE,
                "QUARKUS_KUBERNETES_CLIENT_NAMESPACE", DemoPlatforms.NAMESPACE);
    }

    /** What the demo rotation changed, seen from the platform and the Secret, never printing a value. */
    private static String check(RotorStack stack, DemoPlatforms platforms) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(stack.apiServerUrl()).withHttp2Disable(true).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            Secret secret = client.secrets().inNamespace(DemoPlatforms.NAMESPACE).withName("cache-redis").get();
            String written = new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8);
            boolean newWorks = platforms.redisAccepts(written);
            boolean oldWorks = platforms.redisAcceptsInitialPassword();
            return "Secret demo/cache-redis holds a new password (annotation rotor.io/rotation-id="
                    + secret.getMetadata().getAnnotations().get("rotor.io/rotation-id") + "); Redis "
                    + (newWorks ? "accepts it" : "REFUSES it") + " and " + (oldWorks ? "STILL ACCEPTS" : "refuses")
                    + " the old one.";
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static void quietLibraries() {
        for (String name : List.of("", "org.apache.kafka", "io.fabric8", "io.rotor.testkit", "org.jboss")) {
            Logger.getLogger(name).setLevel(Level.WARNING);
        }
    }
}
