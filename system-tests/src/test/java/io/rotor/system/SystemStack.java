package io.rotor.system;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.rotor.testkit.stack.RotorStack;
import io.rotor.testkit.stack.ServiceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A running Rotor for a test class: the stack, a Kubernetes client on its sandbox, and the orchestrator's API. */
final class SystemStack implements AutoCloseable {

    static final String API_TOKEN = "system-test-token";
    static final int ORCHESTRATOR_PORT = 18080;

    final RotorStack stack;
    final KubernetesClient kube;
    final Orchestrator orchestrator;
    final Path work;

    private SystemStack(RotorStack stack, Path work) {
        this.stack = stack;
        this.work = work;
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(stack.apiServerUrl()).withHttp2Disable(true)
                .withOauthToken("system-test").build();
        this.kube = new KubernetesClientBuilder().withConfig(config).build();
        this.orchestrator = new Orchestrator(ORCHESTRATOR_PORT, API_TOKEN);
    }

    /**
     * @param name        the test class, which names the work folder under target/stack
     * @param namespaces  created in the sandbox; the orchestrator watches them all
     * @param resources   YAML loaded into the sandbox after the namespaces exist
     */
    static SystemStack start(String name, List<String> namespaces, String resources, List<ServiceSpec> services)
            throws IOException {
        Path work = Path.of(System.getProperty("rotor.work", "target/stack")).resolve(name).toAbsolutePath();
        Files.createDirectories(work);
        Path yaml = work.resolve("resources.yaml");
        Files.writeString(yaml, resources, StandardCharsets.UTF_8);
        List<String> sandboxArgs = new ArrayList<>(List.of("--namespace", "rotor"));
        namespaces.forEach(ns -> sandboxArgs.addAll(List.of("--namespace", ns)));
        sandboxArgs.addAll(List.of("--load", yaml.toString()));
        RotorStack stack = RotorStack.start(new RotorStack.Options(
                Path.of(System.getProperty("rotor.repository", "..")).toAbsolutePath().normalize(), work,
                0, 0, sandboxArgs, true, services));
        return new SystemStack(stack, work);
    }

    static ServiceSpec orchestrator(List<String> namespaces) {
        return new ServiceSpec("orchestrator", "orchestrator", ORCHESTRATOR_PORT, Map.of(
                "ROTOR_ORCHESTRATOR_API_TOKEN", API_TOKEN,
                "ROTOR_ORCHESTRATOR_REGISTRY_NAMESPACES", String.join(",", namespaces),
                "ROTOR_ORCHESTRATOR_REGISTRY_OWN_NAMESPACE", "rotor",
                "QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "rotor"));
    }

    static ServiceSpec redisRotator() {
        return new ServiceSpec("redis-rotator", "redis-rotator", 18081, Map.of());
    }

    static ServiceSpec openstackRotator(Map<String, String> env) {
        return new ServiceSpec("openstack-rotator", "openstack-rotator", 18082, env);
    }

    static ServiceSpec configuiRotator() {
        return new ServiceSpec("configui-rotator", "configui-rotator", 18083, Map.of());
    }

    static ServiceSpec secretWriter() {
        return new ServiceSpec("k8s-secret-writer", "k8s-secret-writer", 18084, Map.of());
    }

    @Override
    public void close() {
        kube.close();
        stack.close();
    }
}
