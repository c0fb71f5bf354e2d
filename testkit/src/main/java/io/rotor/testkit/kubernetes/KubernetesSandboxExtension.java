package io.rotor.testkit.kubernetes;

import java.util.Objects;
import java.util.function.Consumer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Runs a {@link KubernetesSandbox} for a test class ({@code static} field) or for each test (instance field):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KubernetesSandboxExtension K8S = KubernetesSandboxExtension.with(b -> b.withManagedCredentialCrd());
 * }</pre>
 *
 * A per-class sandbox is shared by the class's tests: give each test its own names, or use an instance field.
 */
public final class KubernetesSandboxExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final Consumer<KubernetesSandbox.Builder> config;
    private KubernetesSandbox sandbox;
    private boolean perClass;

    private KubernetesSandboxExtension(Consumer<KubernetesSandbox.Builder> config) {
        this.config = Objects.requireNonNull(config);
    }

    public static KubernetesSandboxExtension with(Consumer<KubernetesSandbox.Builder> config) {
        return new KubernetesSandboxExtension(config);
    }

    public static KubernetesSandboxExtension withDefaults() {
        return new KubernetesSandboxExtension(builder -> {
        });
    }

    public KubernetesSandbox sandbox() {
        if (sandbox == null) {
            throw new IllegalStateException("The sandbox runs only while the tests of its scope run");
        }
        return sandbox;
    }

    public KubernetesClient client() {
        return sandbox().client();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // JUnit calls beforeAll only on extensions held in static fields: those live for the whole class.
        perClass = true;
        sandbox = start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            sandbox = start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            closeSandbox();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeSandbox();
    }

    private KubernetesSandbox start() {
        KubernetesSandbox.Builder builder = KubernetesSandbox.builder();
        config.accept(builder);
        return builder.start();
    }

    private void closeSandbox() {
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
    }
}
