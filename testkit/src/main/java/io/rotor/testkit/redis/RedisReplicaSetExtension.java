package io.rotor.testkit.redis;

import java.util.Objects;
import java.util.function.Consumer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a {@link RedisReplicaSet} (a primary and replicas) for a test class ({@code static} field) or for each test
 * (instance field). Tests that kill nodes should use an instance field so the next test starts whole.
 */
public final class RedisReplicaSetExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final int replicaCount;
    private final Consumer<RedisServerProcess.Builder> nodeConfig;
    private RedisReplicaSet replicaSet;
    private boolean perClass;

    private RedisReplicaSetExtension(int replicaCount, Consumer<RedisServerProcess.Builder> nodeConfig) {
        this.replicaCount = replicaCount;
        this.nodeConfig = Objects.requireNonNull(nodeConfig);
    }

    /** A primary and two replicas, each configured by {@code nodeConfig}. */
    public static RedisReplicaSetExtension with(Consumer<RedisServerProcess.Builder> nodeConfig) {
        return new RedisReplicaSetExtension(2, nodeConfig);
    }

    public static RedisReplicaSetExtension with(int replicaCount, Consumer<RedisServerProcess.Builder> nodeConfig) {
        return new RedisReplicaSetExtension(replicaCount, nodeConfig);
    }

    public RedisReplicaSet replicaSet() {
        if (replicaSet == null) {
            throw new IllegalStateException("The replica set runs only while the tests of its scope run");
        }
        return replicaSet;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // JUnit calls beforeAll only on extensions held in static fields: those live for the whole class.
        perClass = true;
        replicaSet = RedisReplicaSet.start(replicaCount, nodeConfig);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            replicaSet = RedisReplicaSet.start(replicaCount, nodeConfig);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            closeSet();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeSet();
    }

    private void closeSet() {
        if (replicaSet != null) {
            replicaSet.close();
            replicaSet = null;
        }
    }
}
