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
import java.util.Set;
import java.util.stream.Stream;

/** A running Rotor for a test class: the stack, a Kubernetes client on its sandbox, and the orchestrator's API. */
final class SystemStack implements AutoCloseable {

    /**
     * The system tests call the API as Kubernetes users, not with a static token: the sandbox's API server knows
     * these tokens (TokenReview), and deploy/'s ClusterRoles are bound to them in every namespace the stack watches
     * the way {@code kubectl create rolebinding} does (SubjectAccessReview decides).
     */
    static final String OPERATOR_TOKEN = "system-test-sre-token";
    static final String OPERATOR = "sre@example.com";
    static final String VIEWER_TOKEN = "system-test-auditor-token";
    static final String VIEWER = "auditor@example.com";
    static final int ORCHESTRATOR_PORT = 18080;
    static final int ORCHESTRATOR_MANAGEMENT_PORT = 18090;

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
        this.orchestrator = new Orchestrator(ORCHESTRATOR_PORT, OPERATOR_TOKEN);
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
        StringBuilder bindings = new StringBuilder();
        // Rotor's own namespace too: a request there must be refused for what it is (never watched), not for RBAC.
        for (String ns : Stream.concat(Stream.of("rotor"), namespaces.stream()).distinct().toList()) {
            bindings.append(roleBinding(ns, "rotor-operator", "sre")).append(roleBinding(ns, "rotor-viewer",
                    "auditors"));
        }
        Files.writeString(yaml, resources + bindings, StandardCharsets.UTF_8);
        Path repository = Path.of(System.getProperty("rotor.repository", "..")).toAbsolutePath().normalize();
        List<String> sandboxArgs = new ArrayList<>(List.of("--namespace", "rotor"));
        namespaces.forEach(ns -> sandboxArgs.addAll(List.of("--namespace", ns)));
        sandboxArgs.addAll(List.of("--load", repository.resolve("deploy/kubernetes/base/access/user-roles.yaml")
                .toString(), "--load", yaml.toString(),
                "--identity", OPERATOR_TOKEN + "=" + OPERATOR + ":sre",
                "--identity", VIEWER_TOKEN + "=" + VIEWER + ":auditors"));
        // The broker takes SASL/SCRAM logins only and enforces deploy's KafkaUsers and ACLs; each service logs in as
        // its own user, and the adversary tests write with those same credentials.
        RotorStack stack = RotorStack.start(new RotorStack.Options(repository, work, 0, 0, sandboxArgs, true,
                services, repository.resolve("deploy/kubernetes/base/kafka/users.yaml")));
        return new SystemStack(stack, work);
    }

    /** {@code kubectl -n NS create rolebinding ROLE-GROUP --clusterrole=ROLE --group=GROUP}. */
    private static String roleBinding(String namespace, String role, String group) {
        return """

                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: %s-%s, namespace: %s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %s}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: %s}]
                """.formatted(role, group, namespace, role, group);
    }

    static ServiceSpec orchestrator(List<String> namespaces) {
        return new ServiceSpec("orchestrator", "orchestrator", ORCHESTRATOR_PORT, Map.of(
                "QUARKUS_MANAGEMENT_PORT", String.valueOf(ORCHESTRATOR_MANAGEMENT_PORT),
                "ROTOR_ORCHESTRATOR_REGISTRY_NAMESPACES", String.join(",", namespaces),
                "ROTOR_ORCHESTRATOR_REGISTRY_OWN_NAMESPACE", "rotor",
                "QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "rotor"));
    }

    static ServiceSpec redisRotator() {
        return new ServiceSpec("redis-rotator", "redis-rotator", 18081, Map.of()).withKeyrings(Set.of("redis"));
    }

    static ServiceSpec openstackRotator(Map<String, String> env) {
        return new ServiceSpec("openstack-rotator", "openstack-rotator", 18082, env)
                .withKeyrings(Set.of("openstack"));
    }

    static ServiceSpec configuiRotator() {
        return new ServiceSpec("configui-rotator", "configui-rotator", 18083, Map.of())
                .withKeyrings(Set.of("configui"));
    }

    /** The writer half of the k8s-secret-writer image, as deploy's secret-writer Deployment runs it. */
    static ServiceSpec secretWriter() {
        return new ServiceSpec("k8s-secret-writer", "k8s-secret-writer", 18084, Map.of(
                "ROTOR_RESTARTER_ENABLED", "false")).withKafkaUser("secret-writer");
    }

    /** The restarter half, as deploy's pod-restarter Deployment runs it: its own Kafka user, no keyring. */
    static ServiceSpec podRestarter() {
        return new ServiceSpec("pod-restarter", "k8s-secret-writer", 18085, Map.of(
                "ROTOR_WRITER_ENABLED", "false",
                "ROTOR_SERVICE_NAME", "rotor-pod-restarter")).withKeyrings(Set.of());
    }

    @Override
    public void close() {
        kube.close();
        stack.close();
    }
}
