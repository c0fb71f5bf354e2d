package io.rotor.orchestrator.registry;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Watches ManagedCredentials with one informer per configured namespace (or one across all namespaces): a list, then
 * a watch, no polling. Each resource is read once per change into a {@link RegisteredCredential}; a spec that does not
 * validate is kept with its problems so that requests for it get {@code INVALID_SPEC} rather than
 * {@code UNKNOWN_CREDENTIAL}.
 */
@ApplicationScoped
public class KubernetesCredentialRegistry implements CredentialRegistry {

    private static final Logger LOG = Logger.getLogger(KubernetesCredentialRegistry.class);
    public static final String ALL_NAMESPACES = "*";

    static final CustomResourceDefinitionContext CONTEXT = new CustomResourceDefinitionContext.Builder()
            .withGroup(ManagedCredentials.GROUP)
            .withVersion(ManagedCredentials.VERSION)
            .withKind(ManagedCredentials.KIND)
            .withPlural(ManagedCredentials.PLURAL)
            .withScope("Namespaced")
            .build();

    private final KubernetesClient client;
    private final List<String> namespaces;
    private final String ownNamespace;
    private final Event<CredentialRefused> refusals;
    private final ManagedCredentialReader reader;
    private final Map<CredentialRef, RegisteredCredential> credentials = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private final CountDownLatch synced = new CountDownLatch(1);

    @Inject
    public KubernetesCredentialRegistry(KubernetesClient client, OrchestratorConfig config, EndpointPolicy policy,
            Event<CredentialRefused> refusals) {
        this.client = client;
        this.refusals = refusals;
        this.reader = new ManagedCredentialReader(policy);
        this.namespaces = config.registry().namespaces().stream().map(String::trim).filter(s -> !s.isEmpty())
                .distinct().toList();
        this.ownNamespace = config.registry().ownNamespace().map(String::trim).filter(s -> !s.isEmpty())
                .orElse(null);
        if (ownNamespace != null && namespaces.contains(ownNamespace)) {
            throw new IllegalStateException("rotor.orchestrator.registry.namespaces lists " + ownNamespace
                    + ", Rotor's own namespace (rotor.orchestrator.registry.own-namespace): a ManagedCredential there "
                    + "could name Rotor's own Secrets; remove it from the list");
        }
    }

    public static CustomResourceDefinitionContext context() {
        return CONTEXT;
    }

    void start(@Observes StartupEvent startup) {
        start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }

    public synchronized void start() {
        if (!informers.isEmpty()) {
            return;
        }
        List<java.util.concurrent.CompletableFuture<Void>> starts = new ArrayList<>();
        if (namespaces.contains(ALL_NAMESPACES)) {
            SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(CONTEXT)
                    .inAnyNamespace().runnableInformer(0);
            starts.add(register(informer));
        } else {
            for (String namespace : namespaces) {
                SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(CONTEXT)
                        .inNamespace(namespace).runnableInformer(0);
                starts.add(register(informer));
            }
        }
        java.util.concurrent.CompletableFuture.allOf(starts.toArray(java.util.concurrent.CompletableFuture[]::new))
                .whenComplete((v, error) -> {
                    if (error != null) {
                        LOG.errorf(error, "watching ManagedCredentials in %s failed; requests wait until it works",
                                namespaces);
                    } else {
                        LOG.infof("watching ManagedCredentials in %s: %d known", namespaces, credentials.size());
                        synced.countDown();
                    }
                });
    }

    private java.util.concurrent.CompletableFuture<Void> register(SharedIndexInformer<GenericKubernetesResource> informer) {
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource resource) {
                update(resource);
            }

            @Override
            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource resource) {
                update(resource);
            }

            @Override
            public void onDelete(GenericKubernetesResource resource, boolean deletedFinalStateUnknown) {
                CredentialRef ref = new CredentialRef(resource.getMetadata().getNamespace(),
                        resource.getMetadata().getName());
                credentials.remove(ref);
                LOG.infof("ManagedCredential %s deleted", ref);
            }
        });
        informers.add(informer);
        return informer.start().toCompletableFuture();
    }

    private void update(GenericKubernetesResource resource) {
        if (resource.getMetadata().getNamespace().equals(ownNamespace)) {
            LOG.warnf("ManagedCredential %s/%s is in Rotor's own namespace, which is never watched; ignored",
                    ownNamespace, resource.getMetadata().getName());
            return;
        }
        RegisteredCredential read = reader.read(resource);
        RegisteredCredential before = credentials.put(read.ref(), read);
        boolean newGeneration = before == null || before.generation() != read.generation();
        if (newGeneration && !read.valid()) {
            LOG.warnf("ManagedCredential %s (generation %d) is invalid and will not rotate: %s", read.ref(),
                    read.generation(), read.problemSummary());
            refusals.fire(new CredentialRefused(read.ref(), read.generation(), read.problemSummary()));
        }
    }

    @Override
    public boolean watches(String namespace) {
        return !namespace.equals(ownNamespace)
                && (namespaces.contains(ALL_NAMESPACES) || namespaces.contains(namespace));
    }

    @Override
    public List<String> namespaces() {
        return namespaces;
    }

    @Override
    public Optional<RegisteredCredential> find(CredentialRef ref) {
        return Optional.ofNullable(credentials.get(Objects.requireNonNull(ref)));
    }

    @Override
    public Collection<RegisteredCredential> all() {
        return List.copyOf(credentials.values());
    }

    @Override
    public boolean synced() {
        return synced.getCount() == 0;
    }

    @Override
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        return synced.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
