package io.rotor.openstack.rotation;

import static io.rotor.openstack.rotation.KeystoneFixtures.NAMESPACE;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.CommandAction;
import io.rotor.contracts.event.EventType;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.contracts.sealing.Sealer;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.messaging.EventPublisher;
import io.rotor.kit.messaging.InboundProcessor;
import io.rotor.kit.messaging.InboundRecord;
import io.rotor.kit.participant.ParticipantMetrics;
import io.rotor.kit.participant.ParticipantRuntime;
import io.rotor.kit.participant.ParticipantSettings;
import io.rotor.kit.retry.Backoff;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.kit.timer.ScheduledTimers;
import io.rotor.openstack.InMemorySecretLookup;
import io.rotor.openstack.LayoutCurrentValueReader;
import io.rotor.openstack.StartedRotations;
import io.rotor.openstack.TestTrust;
import io.rotor.openstack.keystone.KeystoneClient;
import io.rotor.openstack.keystone.SharedRealKeystone;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.keystone.KeystoneAdmin.TestUser;
import io.rotor.testkit.keystone.KeystoneServer;
import io.rotor.testkit.keystone.SecurityCompliance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * 50 Keystone users rotated through the adapter inside the kit's participant runtime (read the Secret, change,
 * wait out the second, log in with the new password, validate the token, seal both values), and, in the same run on
 * the same Keystone, 50 passwords changed with plain HTTP calls at the same concurrency. Prints both rates and their
 * ratio, per bcrypt cost, and writes them to {@code system-tests/results/keystone-adapter-benchmark.txt}. A
 * benchmark, not a test: nothing is asserted about the figures.
 *
 * <pre>./mvnw -pl openstack-rotator -am verify -DskipTests -Preal-keystone -Dit.test=KeystoneAdapterBenchmark
 *     [-Dbenchmark.costs=4,12] [-Dbenchmark.users=50] [-Dbenchmark.concurrency=2]</pre>
 */
class KeystoneAdapterBenchmark {

    private static final Logger LOG = Logger.getLogger(KeystoneAdapterBenchmark.class);
    private static final Sealer SEALER = TestTrust.SEALER;

    private final int users = Integer.getInteger("benchmark.users", 50);
    private final int concurrency = Integer.getInteger("benchmark.concurrency", 2);
    private final int[] costs = Arrays.stream(System.getProperty("benchmark.costs", "4,12").split(","))
            .map(String::trim).mapToInt(Integer::parseInt).toArray();

    @Test
    void rotateThroughTheAdapterAndWithPlainCalls() throws Exception {
        SharedRealKeystone.assumeRealKeystoneProfile();
        List<String> lines = new ArrayList<>();
        lines.add("# Keystone password rotation: adapter (participant runtime) vs plain HTTP, " + Instant.now());
        lines.add("# " + users + " users each way, Keystone concurrency " + concurrency + " for both; machine: "
                + Runtime.getRuntime().availableProcessors() + " cores; Keystone 22 (Debian), uWSGI 1 process x 1 "
                + "thread, sqlite WAL, 127.0.0.1; users given by id");
        lines.add("# adapter = read Secret, POST /password, wait for the next second, log in with the new password, "
                + "validate the token, seal; plain = POST /password only, run before and after the adapter");
        lines.add("# load average before (1/5/15 min): " + loadAverage());
        lines.add(String.format(Locale.ROOT, "%-5s %-8s %6s %9s %8s", "cost", "way", "n", "seconds", "per_s"));
        try (KeystoneServer keystone = KeystoneServer.builder().hashRounds(costs[0]).start()) {
            for (int cost : costs) {
                if (keystone.hashRounds() != cost) {
                    keystone.restart(SecurityCompliance.none(), cost);
                }
                KeystoneAdmin admin = KeystoneAdmin.of(keystone);
                List<TestUser> plainBefore = createUsers(admin);
                List<TestUser> viaAdapter = createUsers(admin);
                List<TestUser> plainAfter = createUsers(admin);
                // Plain calls before and after the adapter's run, so that a change in the machine's load during the
                // run weighs on both sides of the ratio.
                double before = plain(keystone, plainBefore);
                double adapterSeconds = throughAdapter(keystone, viaAdapter);
                double after = plain(keystone, plainAfter);
                double adapterRate = users / adapterSeconds;
                double plainRate = 2 * users / (before + after);
                lines.add(row(cost, "plain", before));
                lines.add(row(cost, "adapter", adapterSeconds));
                lines.add(row(cost, "plain", after));
                lines.add(String.format(Locale.ROOT, "%-5d ratio adapter/plain = %.2f (adapter %.2f/s, plain %.2f/s "
                        + "over both plain runs)", cost, adapterRate / plainRate, adapterRate, plainRate));
            }
        }
        lines.add("# load average after (1/5/15 min): " + loadAverage());
        lines.forEach(LOG::info);
        Path results = Path.of(System.getProperty("rotor.results.dir", "target"));
        Files.createDirectories(results);
        Files.write(results.resolve("keystone-adapter-benchmark.txt"), lines);
    }

    private String row(int cost, String way, double seconds) {
        return String.format(Locale.ROOT, "%-5d %-8s %6d %9.2f %8.2f", cost, way, users, seconds, users / seconds);
    }

    private List<TestUser> createUsers(KeystoneAdmin admin) {
        List<TestUser> created = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            created.add(admin.createUser(admin.uniqueName("bench"), "Bench-Pw-" + i + "-Xy9"));
        }
        return created;
    }

    private double throughAdapter(KeystoneServer keystone, List<TestUser> list) throws Exception {
        InMemorySecretLookup secrets = new InMemorySecretLookup();
        ScheduledTimers timers = new ScheduledTimers(Clock.systemUTC());
        Published published = new Published();
        // The service's settings (application.properties): wide runtime bounds, Keystone's own bound in the adapter.
        ParticipantSettings settings = new ParticipantSettings(32, 64, 32,
                new Backoff(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 6, 0.2));
        List<RotateCredential> commands = new ArrayList<>();
        StartedRotations inFlight = new StartedRotations();
        for (TestUser user : list) {
            String secretName = "bench-" + user.name();
            secrets.put(NAMESPACE, secretName, Map.of("clouds.yaml", KeystoneFixtures.passwordClouds(keystone,
                    KeystoneFixtures.CLOUD, user.name(), user.password(), null)));
            ManagedCredentialSpec spec = KeystoneFixtures.spec(keystone, Strategy.REPLACE,
                    new Identity(null, user.id(), null), secretName, null);
            CredentialRef ref = KeystoneFixtures.ref(secretName);
            String rotationId = "bench-" + user.name();
            commands.add(new RotateCredential(rotationId, ref, CommandAction.APPLY, spec,
                    CredentialMaterial.password(SecretValue.of(user.password() + "-next"))
                            .seal(SEALER, rotationId, ref, Purpose.NEW), SpecDigest.of(spec)));
            inFlight.start(rotationId, ref, spec);
        }
        try (ParticipantRuntime runtime = new ParticipantRuntime(
                List.of(new KeystoneAdapter(secrets, LoginBudget.inMemory(2, Duration.ofMinutes(15), Clock.systemUTC()),
                        timers, new KeystoneSettings(concurrency, Duration.ofMillis(1100), 3),
                        TestTrust.allowEverything())),
                new LayoutCurrentValueReader(secrets), TestTrust.KEYS, published,
                new InboundProcessor(new CloudEventCodec("/bench"), published), timers, settings,
                new ParticipantMetrics(new SimpleMeterRegistry()), inFlight, TestTrust.allowEverything())) {
            long started = System.nanoTime();
            List<CompletableFuture<List<RotorEvent>>> answers = new ArrayList<>();
            for (RotateCredential command : commands) {
                answers.add(runtime.onCommand(new DecodedEvent("id-" + command.rotationId(), "/bench", Instant.now(),
                        EventType.of(command), command, null)).toCompletableFuture());
            }
            for (CompletableFuture<List<RotorEvent>> answer : answers) {
                List<RotorEvent> events = answer.get(30, TimeUnit.MINUTES);
                if (events.size() != 1 || !(events.get(0) instanceof StepCompleted)) {
                    throw new AssertionError("a rotation did not complete: " + events);
                }
            }
            return (System.nanoTime() - started) / 1e9;
        } finally {
            timers.close();
        }
    }

    private double plain(KeystoneServer keystone, List<TestUser> list) throws Exception {
        KeystoneClient client = KeystoneClient.builder(keystone.url().toString()).timeout(Duration.ofSeconds(60))
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            long started = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (TestUser user : list) {
                done.add(pool.submit(() -> client.changePassword(user.id(), SecretValue.of(user.password()),
                        SecretValue.of(user.password() + "-next"))));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return (System.nanoTime() - started) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The runtime publishes only retriable failures on its own; none are expected here. */
    private static final class Published implements EventPublisher {
        @Override
        public CompletionStage<Void> publish(RotorEvent event) {
            LOG.warnf("the runtime announced %s", event);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> publishAll(List<? extends RotorEvent> events) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> deadLetter(InboundRecord record, String reason, String detail) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Other builds share this machine: the figures are only as good as the load around them. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
