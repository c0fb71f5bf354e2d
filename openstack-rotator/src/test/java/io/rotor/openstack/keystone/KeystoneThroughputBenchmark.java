package io.rotor.openstack.keystone;

import io.rotor.contracts.sealing.SecretValue;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.keystone.KeystoneAdmin.TestUser;
import io.rotor.testkit.keystone.KeystoneServer;
import io.rotor.testkit.keystone.SecurityCompliance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * How many password changes per second one real Keystone (one uWSGI process, one thread, sqlite) takes, with plain
 * HTTP calls at concurrency 1, 2 and 4, at bcrypt cost 4 (tests) and 12 (Keystone's default); and password logins,
 * which verification costs. A benchmark, not a test: it prints figures and asserts nothing. Run it with
 * {@code ./mvnw -pl openstack-rotator -am verify -DskipTests -Preal-keystone -Dit.test=KeystoneThroughputBenchmark};
 * the figures also go to {@code system-tests/results/keystone-throughput.txt}.
 */
class KeystoneThroughputBenchmark {

    private static final Logger LOG = Logger.getLogger(KeystoneThroughputBenchmark.class);
    private static final int[] CONCURRENCY = {1, 2, 4};

    @Test
    void measure() throws Exception {
        SharedRealKeystone.assumeRealKeystoneProfile();
        List<String> lines = new ArrayList<>();
        lines.add("# Keystone throughput, plain HTTP (KeystoneClient), " + Instant.now());
        lines.add("# machine: " + Runtime.getRuntime().availableProcessors() + " cores; Keystone 22 (Debian), uWSGI "
                + "1 process x 1 thread, sqlite WAL, on 127.0.0.1");
        lines.add("# load average before (1/5/15 min): " + loadAverage());
        lines.add(String.format(Locale.ROOT, "%-6s %-16s %-11s %6s %9s %8s", "cost", "operation", "concurrency", "n",
                "seconds", "per_s"));
        try (KeystoneServer keystone = KeystoneServer.builder().hashRounds(4).start()) {
            for (int cost : new int[] {4, 12}) {
                if (keystone.hashRounds() != cost) {
                    keystone.restart(SecurityCompliance.none(), cost);
                }
                int perRun = cost == 4 ? 60 : 20;
                KeystoneAdmin admin = KeystoneAdmin.of(keystone);
                KeystoneClient client = KeystoneClient.builder(keystone.url().toString())
                        .timeout(Duration.ofSeconds(60)).build();
                for (int concurrency : CONCURRENCY) {
                    List<TestUser> users = new ArrayList<>();
                    for (int i = 0; i < perRun; i++) {
                        users.add(admin.createUser(admin.uniqueName("bench"), "Bench-Pw-" + i + "-Xy9"));
                    }
                    double changes = run(concurrency, users, u -> client.changePassword(u.id(),
                            SecretValue.of(u.password()), SecretValue.of(u.password() + "-next")));
                    lines.add(row(cost, "change-password", concurrency, perRun, changes));
                    double logins = run(concurrency, users, u -> client.login(UserSelector.byId(u.id()),
                            SecretValue.of(u.password() + "-next"), null));
                    lines.add(row(cost, "password-login", concurrency, perRun, logins));
                }
            }
        }
        lines.add("# load average after (1/5/15 min): " + loadAverage());
        lines.forEach(line -> LOG.info(line));
        Path results = Path.of(System.getProperty("rotor.results.dir", "target"));
        Files.createDirectories(results);
        Files.write(results.resolve("keystone-throughput.txt"), lines);
    }

    /** Seconds to run the operation once per user with this many threads. */
    private static double run(int concurrency, List<TestUser> users, Consumer<TestUser> operation) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            long started = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (TestUser user : users) {
                done.add(pool.submit(() -> operation.accept(user)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return (System.nanoTime() - started) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String row(int cost, String operation, int concurrency, int n, double seconds) {
        return String.format(Locale.ROOT, "%-6d %-16s %-11d %6d %9.2f %8.2f", cost, operation, concurrency, n, seconds,
                n / seconds);
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
