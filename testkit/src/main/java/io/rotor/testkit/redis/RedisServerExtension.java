package io.rotor.testkit.redis;

import java.util.Objects;
import java.util.function.Consumer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a {@link RedisServerProcess} for a test class ({@code static} field) or for each test (instance field):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension REDIS = RedisServerExtension.with(b -> b.aclUser(AclUser.fullAccess("app", "pw")));
 * }</pre>
 */
public final class RedisServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final Consumer<RedisServerProcess.Builder> config;
    private RedisServerProcess server;
    private boolean perClass;

    private RedisServerExtension(Consumer<RedisServerProcess.Builder> config) {
        this.config = Objects.requireNonNull(config);
    }

    public static RedisServerExtension with(Consumer<RedisServerProcess.Builder> config) {
        return new RedisServerExtension(config);
    }

    public static RedisServerExtension withDefaults() {
        return new RedisServerExtension(builder -> {
        });
    }

    /** The running server; fails outside the extension's scope. */
    public RedisServerProcess server() {
        if (server == null) {
            throw new IllegalStateException("The Redis server runs only while the tests of its scope run");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // JUnit calls beforeAll only on extensions held in static fields: those live for the whole class.
        perClass = true;
        server = start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            server = start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            closeServer();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeServer();
    }

    private RedisServerProcess start() {
        RedisServerProcess.Builder builder = RedisServerProcess.builder();
        config.accept(builder);
        return builder.start();
    }

    private void closeServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
