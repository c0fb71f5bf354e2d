package io.rotor.testkit.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link KubernetesSandbox} for a {@code @QuarkusTest} and points the Quarkus kubernetes-client at it:
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = KubernetesSandboxTestResource.class, initArgs = {
 *         @ResourceArg(name = KubernetesSandboxTestResource.NAMESPACE, value = "configui"),
 *         @ResourceArg(name = KubernetesSandboxTestResource.LOAD, value = "k8s/configui.yaml") })
 * class PodRestarterTest {
 *     @InjectKubernetesSandbox
 *     KubernetesSandbox sandbox;
 * }
 * }</pre>
 *
 * Init args (all optional): {@value #NAMESPACE}; {@value #MANAGED_CREDENTIAL_CRD} ({@code true}/{@code false},
 * default true); {@value #CONTROLLER} (default true); {@value #STEP_DELAY} and {@value #PROGRESS_DEADLINE}
 * (ISO-8601 durations such as {@code PT0.2S}); {@value #LOAD} (comma-separated classpath YAML resources).
 */
public final class KubernetesSandboxTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String NAMESPACE = "namespace";
    public static final String MANAGED_CREDENTIAL_CRD = "managedCredentialCrd";
    public static final String CONTROLLER = "controller";
    public static final String STEP_DELAY = "stepDelay";
    public static final String PROGRESS_DEADLINE = "progressDeadline";
    public static final String LOAD = "load";

    private Map<String, String> args = Map.of();
    private KubernetesSandbox sandbox;

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        KubernetesSandbox.Builder builder = KubernetesSandbox.builder()
                .namespace(args.getOrDefault(NAMESPACE, KubernetesSandbox.DEFAULT_NAMESPACE));
        if (Boolean.parseBoolean(args.getOrDefault(MANAGED_CREDENTIAL_CRD, "true"))) {
            builder.withManagedCredentialCrd();
        }
        if (!Boolean.parseBoolean(args.getOrDefault(CONTROLLER, "true"))) {
            builder.withoutController();
        }
        FakeWorkloadController.Options options = FakeWorkloadController.Options.defaults();
        if (args.containsKey(STEP_DELAY)) {
            options = options.withStepDelay(Duration.parse(args.get(STEP_DELAY)));
        }
        if (args.containsKey(PROGRESS_DEADLINE)) {
            options = options.withProgressDeadline(Duration.parse(args.get(PROGRESS_DEADLINE)));
        }
        sandbox = builder.controllerOptions(options).start();
        Arrays.stream(args.getOrDefault(LOAD, "").split(","))
                .map(String::trim)
                .filter(resource -> !resource.isEmpty())
                .forEach(this::loadClasspathResource);
        return quarkusConfig(sandbox);
    }

    /** The Quarkus kubernetes-client settings that point it at a sandbox. */
    public static Map<String, String> quarkusConfig(KubernetesSandbox sandbox) {
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", sandbox.apiServerUrl(),
                "quarkus.kubernetes-client.namespace", sandbox.namespace(),
                // Plain HTTP, so nothing to trust; set anyway so a switch to the mock's HTTPS mode keeps working.
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.devservices.enabled", "false");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(sandbox,
                new TestInjector.AnnotatedAndMatchesType(InjectKubernetesSandbox.class, KubernetesSandbox.class));
    }

    @Override
    public void stop() {
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
    }

    private void loadClasspathResource(String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        var in = loader.getResourceAsStream(resource.startsWith("/") ? resource.substring(1) : resource);
        if (in == null) {
            throw new IllegalArgumentException("No classpath resource " + resource + " to load into the sandbox");
        }
        try (in) {
            sandbox.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }
}
