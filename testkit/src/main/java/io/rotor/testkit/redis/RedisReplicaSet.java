package io.rotor.testkit.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * One primary and its replicas, each a separate {@link RedisServerProcess} with its own ACL file. Data replicates;
 * ACLs do not — {@code ACL SETUSER} on the primary is invisible on a replica, which is why a rotator must apply and
 * verify a password on every node.
 */
public final class RedisReplicaSet implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisReplicaSet.class);
    private static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(20);
    private static final long POLL_MILLIS = 50;

    private final RedisServerProcess primary;
    private final List<RedisServerProcess> replicas;

    private RedisReplicaSet(RedisServerProcess primary, List<RedisServerProcess> replicas) {
        this.primary = primary;
        this.replicas = List.copyOf(replicas);
    }

    /** A primary and two replicas, all configured by {@code nodeConfig} (ACL users, default password, ...). */
    public static RedisReplicaSet start(Consumer<RedisServerProcess.Builder> nodeConfig) {
        return start(2, nodeConfig);
    }

    /**
     * Starts a primary, then {@code replicaCount} replicas of it, and returns once every replica's link to the
     * primary is up. Each node gets its own copy of the initial ACL users. When the default user has a password,
     * replicas use it as {@code masterauth}.
     */
    public static RedisReplicaSet start(int replicaCount, Consumer<RedisServerProcess.Builder> nodeConfig) {
        Objects.requireNonNull(nodeConfig);
        RedisServerProcess.Builder primaryBuilder = RedisServerProcess.builder();
        nodeConfig.accept(primaryBuilder);
        RedisServerProcess primary = primaryBuilder.start();
        List<RedisServerProcess> replicas = new ArrayList<>();
        try {
            for (int i = 0; i < replicaCount; i++) {
                RedisServerProcess.Builder builder = RedisServerProcess.builder().binary(primary.binary());
                nodeConfig.accept(builder);
                builder.replicaOf(primary.host(), primary.port());
                primary.defaultUserPassword().ifPresent(builder::primaryPassword);
                replicas.add(builder.start());
            }
            RedisReplicaSet set = new RedisReplicaSet(primary, replicas);
            set.awaitReplication();
            LOG.infof("Replica set up: primary %d, replicas %s", primary.port(),
                    replicas.stream().map(RedisServerProcess::port).toList());
            return set;
        } catch (RuntimeException e) {
            replicas.forEach(RedisServerProcess::close);
            primary.close();
            throw e;
        }
    }

    public RedisServerProcess primary() {
        return primary;
    }

    public List<RedisServerProcess> replicas() {
        return replicas;
    }

    /** Primary first, then the replicas. */
    public List<RedisServerProcess> nodes() {
        return Stream.concat(Stream.of(primary), replicas.stream()).toList();
    }

    /**
     * Waits until every running replica reports {@code master_link_status:up}, for example after a replica or the
     * primary was restarted.
     */
    public void awaitReplication() {
        long deadline = System.nanoTime() + REPLICATION_TIMEOUT.toNanos();
        for (RedisServerProcess replica : replicas) {
            while (replica.isRunning() && !linkUp(replica)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Replica on port " + replica.port()
                            + " did not connect to its primary within " + REPLICATION_TIMEOUT + "; log tail: "
                            + replica.logTail(10));
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for replication", e);
                }
            }
        }
    }

    private static boolean linkUp(RedisServerProcess replica) {
        try (RespClient client = replica.connectAsDefaultUser()) {
            return client.callText("INFO", "replication").contains("master_link_status:up");
        } catch (RuntimeException notReadyYet) {
            return false;
        }
    }

    @Override
    public void close() {
        replicas.forEach(RedisServerProcess::close);
        primary.close();
    }
}
