package io.rotor.testkit.kubernetes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * A Kubernetes API for tests without a cluster: fabric8's mock server in CRUD mode on 127.0.0.1 over plain HTTP,
 * with {@link SandboxDispatcher}'s additions, a namespace, and (unless turned off) a {@link FakeWorkloadController}
 * that moves workloads the way kube-controller-manager would. It answers TokenReviews from a token table
 * ({@link #identities()}) and SubjectAccessReviews by RBAC over the roles and bindings it stores, but does not
 * authenticate or authorize requests to its own API. What the mock still lacks is listed in
 * {@code testkit/README.md}.
 *
 * <pre>{@code
 * try (KubernetesSandbox sandbox = KubernetesSandbox.builder().withManagedCredentialCrd().start()) {
 *     sandbox.load(getClass().getResourceAsStream("/configui.yaml"));
 *     sandbox.client().apps().deployments().withName("configui").rolling().restart();
 * }
 * }</pre>
 */
public final class KubernetesSandbox implements AutoCloseable {

    public static final String DEFAULT_NAMESPACE = "rotor-test";

    private static final Logger LOG = Logger.getLogger(KubernetesSandbox.class);
    private static final String LOOPBACK = "127.0.0.1";

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Config config;
    private final String namespace;
    private final FakeWorkloadController controller;
    private final SandboxIdentities identities;

    private KubernetesSandbox(KubernetesMockServer server, Config config, KubernetesClient client, String namespace,
            FakeWorkloadController controller, SandboxIdentities identities) {
        this.server = server;
        this.config = config;
        this.client = client;
        this.namespace = namespace;
        this.controller = controller;
        this.identities = identities;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A sandbox with the defaults: namespace {@value #DEFAULT_NAMESPACE}, fake controller running. */
    public static KubernetesSandbox start() {
        return builder().start();
    }

    /** The sandbox's own client; its default namespace is {@link #namespace()}. Closed with the sandbox. */
    public KubernetesClient client() {
        return client;
    }

    /** A separate client, e.g. to give code under test its own; the caller closes it. */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Client configuration pointing at the sandbox: plain HTTP, no credentials needed. */
    public Config clientConfig() {
        return new ConfigBuilder(config).build();
    }

    /** The API server's URL, e.g. {@code http://127.0.0.1:41234/}. */
    public String apiServerUrl() {
        return config.getMasterUrl();
    }

    public int port() {
        return server.getPort();
    }

    public String namespace() {
        return namespace;
    }

    /**
     * The token table TokenReviews are answered from (empty at start). SubjectAccessReviews need no setup beyond
     * RBAC objects: create or {@link #load} ClusterRoles, Roles and their bindings, and each review is decided on
     * what is stored when it arrives ({@link RbacAuthorizer}).
     */
    public SandboxIdentities identities() {
        return identities;
    }

    /** The fake workload controller; fails if the sandbox was built {@link Builder#withoutController()}. */
    public FakeWorkloadController controller() {
        if (controller == null) {
            throw new IllegalStateException("This sandbox runs without the fake workload controller");
        }
        return controller;
    }

    /**
     * Creates (or replaces) every object of a YAML or JSON stream, in order; namespaced objects without a namespace
     * land in {@link #namespace()}. A CustomResourceDefinition in the stream makes its kind usable right after.
     */
    public List<HasMetadata> load(InputStream yaml) {
        Objects.requireNonNull(yaml, "yaml (a missing classpath resource?)");
        List<HasMetadata> created = new ArrayList<>();
        for (HasMetadata item : client.load(yaml).items()) {
            created.add(client.resource(item).createOr(NonDeletingOperation::update));
        }
        return created;
    }

    public List<HasMetadata> load(Path yamlFile) {
        try (InputStream in = Files.newInputStream(yamlFile)) {
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + yamlFile, e);
        }
    }

    public List<HasMetadata> loadYaml(String yaml) {
        return load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** Creates one object (in {@link #namespace()} if it is namespaced and names none). */
    public <T extends HasMetadata> T create(T resource) {
        return client.resource(resource).create();
    }

    /** Installs a CRD the way a cluster admin would; the mock then serves its kind, with status if declared. */
    public CustomResourceDefinition installCustomResourceDefinition(CustomResourceDefinition crd) {
        return client.apiextensions().v1().customResourceDefinitions().resource(crd)
                .createOr(NonDeletingOperation::update);
    }

    @Override
    public void close() {
        if (controller != null) {
            controller.close();
        }
        client.close();
        server.destroy();
        LOG.debugf("Kubernetes sandbox on port %d stopped", server.getPort());
    }

    /** Configures a sandbox; {@link #start()} starts server, namespace, CRDs and controller. */
    public static final class Builder {

        private String namespace = DEFAULT_NAMESPACE;
        private final List<CustomResourceDefinition> crds = new ArrayList<>();
        private final List<CustomResourceDefinitionContext> customResources = new ArrayList<>();
        private boolean controllerEnabled = true;
        private FakeWorkloadController.Options controllerOptions = FakeWorkloadController.Options.defaults();
        private boolean logRequests;
        private int port;
        private ApiCallRecorder recorder = ApiCallRecorder.NONE;

        private Builder() {
        }

        /** Sees every API request (system tests use it to compare what services do with their RBAC roles). */
        public Builder recordCalls(ApiCallRecorder recorder) {
            this.recorder = Objects.requireNonNull(recorder);
            return this;
        }

        /** The API server's port on 127.0.0.1; 0 (the default) takes any free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder namespace(String namespace) {
            this.namespace = Objects.requireNonNull(namespace);
            return this;
        }

        /** Installs Rotor's {@code managedcredentials.rotor.io} CRD ({@link RotorCustomResources}). */
        public Builder withManagedCredentialCrd() {
            return withCustomResourceDefinition(RotorCustomResources.managedCredentialDefinition());
        }

        public Builder withCustomResourceDefinition(CustomResourceDefinition crd) {
            crds.add(Objects.requireNonNull(crd));
            return this;
        }

        /** Makes the mock serve a kind without installing a CRD object (nothing lists it under CRDs). */
        public Builder withCustomResource(CustomResourceDefinitionContext context) {
            customResources.add(Objects.requireNonNull(context));
            return this;
        }

        /** No fake controller: workloads keep whatever status their creator gave them. */
        public Builder withoutController() {
            this.controllerEnabled = false;
            return this;
        }

        public Builder controllerOptions(FakeWorkloadController.Options options) {
            this.controllerOptions = Objects.requireNonNull(options);
            return this;
        }

        /**
         * Logs every request at INFO, as fabric8's MockWebServer does by default. Off by default: the controller's
         * watches and writes make hundreds of lines per test.
         */
        public Builder logRequests(boolean logRequests) {
            this.logRequests = logRequests;
            return this;
        }

        public KubernetesSandbox start() {
            long started = System.nanoTime();
            if (!logRequests) {
                // MockWebServer logs through java.util.logging with a logger held in a static field, so the level
                // set here sticks for the JVM: all sandboxes share it.
                java.util.logging.Logger.getLogger(MockWebServer.class.getName()).setLevel(Level.WARNING);
            }
            SandboxIdentities identities = new SandboxIdentities();
            SandboxDispatcher dispatcher = new SandboxDispatcher(recorder, identities);
            customResources.forEach(dispatcher::expectCustomResource);
            KubernetesMockServer server = new KubernetesMockServer(
                    new io.fabric8.mockwebserver.Context(), new MockWebServer(),
                    new HashMap<>(), dispatcher, false);
            try {
                server.init(InetAddress.getByName(LOOPBACK), port);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("No loopback address", e);
            }
            Config config = new ConfigBuilder(Config.empty())
                    .withMasterUrl("http://" + LOOPBACK + ":" + server.getPort() + "/")
                    .withNamespace(namespace)
                    .withTrustCerts(true)
                    .withHttp2Disable(true)
                    .build();
            KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
            FakeWorkloadController controller = null;
            try {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                        .endMetadata().build()).create();
                for (CustomResourceDefinition crd : crds) {
                    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                }
                if (controllerEnabled) {
                    controller = FakeWorkloadController.start(client, controllerOptions);
                }
            } catch (RuntimeException e) {
                client.close();
                server.destroy();
                throw e;
            }
            LOG.infof("Kubernetes sandbox up at %s (namespace %s, controller %s) in %d ms", config.getMasterUrl(),
                    namespace, controllerEnabled ? "on" : "off",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new KubernetesSandbox(server, config, client, namespace, controller, identities);
        }
    }
}
