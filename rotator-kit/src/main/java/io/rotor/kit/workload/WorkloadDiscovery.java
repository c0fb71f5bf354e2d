package io.rotor.kit.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.rotor.contracts.credential.Consumers;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.WorkloadKind;
import io.rotor.contracts.credential.WorkloadRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Finds the workloads that read a credential in its namespace: those its spec names, plus (unless
 * {@code consumers.discover} is false) every Deployment, StatefulSet and DaemonSet whose pod template references one
 * of its Secrets or that opts in by annotation ({@link SecretReferences}). Jobs and CronJobs are never listed:
 * restarting them would run their work again. A workload an operator's custom resource controls is listed only when
 * named, and one a RedisEnterpriseCluster controls (the cluster's own nodes) never. Reads only (three list calls); the pod restarter and the orchestrator's
 * dry run both use it.
 */
public final class WorkloadDiscovery {

    private static final Comparator<ConsumerWorkload> ORDER = Comparator
            .comparing((ConsumerWorkload c) -> c.ref().kind())
            .thenComparing(c -> c.ref().name());

    private static final Logger LOG = Logger.getLogger(WorkloadDiscovery.class);
    private static final Set<String> BUILT_IN_GROUPS = Set.of("apps", "batch", "extensions");

    private final KubernetesClient client;

    public WorkloadDiscovery(KubernetesClient client) {
        this.client = client;
    }

    /** The credential's readers, ordered by kind and name. */
    public List<ConsumerWorkload> find(CredentialRef credential, ManagedCredentialSpec spec) {
        Consumers consumers = spec.consumersOrDefault();
        String namespace = credential.namespace();
        Map<WorkloadRef, HasMetadata> existing = new LinkedHashMap<>();
        Map<WorkloadRef, Set<ConsumerReason>> reasons = new LinkedHashMap<>();
        Set<String> secrets = spec.secretList().stream().map(SecretTarget::name).collect(Collectors.toSet());

        if (consumers.discoverEnabled()) {
            for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
                consider(WorkloadKind.DEPLOYMENT, d, d.getSpec() == null ? null : d.getSpec().getTemplate(),
                        secrets, credential, existing, reasons);
            }
            for (StatefulSet s : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
                consider(WorkloadKind.STATEFUL_SET, s, s.getSpec() == null ? null : s.getSpec().getTemplate(),
                        secrets, credential, existing, reasons);
            }
            for (DaemonSet s : client.apps().daemonSets().inNamespace(namespace).list().getItems()) {
                consider(WorkloadKind.DAEMON_SET, s, s.getSpec() == null ? null : s.getSpec().getTemplate(),
                        secrets, credential, existing, reasons);
            }
        }
        for (WorkloadRef named : consumers.workloadList()) {
            HasMetadata workload = existing.containsKey(named) && existing.get(named) != null ? existing.get(named)
                    : get(namespace, named);
            Optional<OwnerReference> owner = workload == null ? Optional.empty() : customResourceController(workload);
            if (owner.isPresent() && isRedisEnterpriseCluster(owner.get())) {
                // The cluster's nodes: its operator rolls them one at a time, keeping quorum, and they read the
                // rotated Secret on the kubelet's refresh. A rollout from Rotor would fight the operator.
                LOG.warnf("%s/%s is named in consumers.workloads but controlled by RedisEnterpriseCluster %s: never "
                        + "restarted by Rotor", named.kind(), named.name(), owner.get().getName());
                reasons.remove(named);
                continue;
            }
            reasons.computeIfAbsent(named, k -> EnumSet.noneOf(ConsumerReason.class)).add(ConsumerReason.NAMED);
            if (!existing.containsKey(named) && workload != null) {
                existing.put(named, null);
            }
        }
        List<ConsumerWorkload> found = new ArrayList<>();
        reasons.forEach((ref, why) -> found.add(new ConsumerWorkload(ref, why, existing.containsKey(ref))));
        found.sort(ORDER);
        return found;
    }

    private static void consider(WorkloadKind kind, HasMetadata workload, PodTemplateSpec template, Set<String> secrets,
            CredentialRef credential, Map<WorkloadRef, HasMetadata> existing, Map<WorkloadRef, Set<ConsumerReason>> reasons) {
        WorkloadRef ref = new WorkloadRef(kind, workload.getMetadata().getName());
        existing.put(ref, workload);
        Set<ConsumerReason> why = SecretReferences.reasons(workload.getMetadata(), template, secrets, credential);
        Optional<OwnerReference> owner = customResourceController(workload);
        if (!why.isEmpty() && owner.isPresent()) {
            // Its operator decides when its pods restart (a RedisEnterpriseCluster's StatefulSet rolls the cluster's
            // nodes); Rotor restarts it only when the ManagedCredential names it.
            LOG.infof("%s/%s reads the credential but is controlled by %s %s: not restarted unless named in "
                    + "consumers.workloads", kind, ref.name(), owner.get().getKind(), owner.get().getName());
            return;
        }
        if (!why.isEmpty()) {
            reasons.computeIfAbsent(ref, k -> EnumSet.noneOf(ConsumerReason.class)).addAll(why);
        }
    }

    static boolean isRedisEnterpriseCluster(OwnerReference owner) {
        return "RedisEnterpriseCluster".equals(owner.getKind()) && owner.getApiVersion() != null
                && owner.getApiVersion().startsWith("app.redislabs.com/");
    }

    /**
     * The controlling owner when it is a custom resource (not a Kubernetes built-in workload such as a Deployment
     * owning a ReplicaSet): an operator's resource.
     */
    static Optional<OwnerReference> customResourceController(HasMetadata workload) {
        List<OwnerReference> owners = workload.getMetadata().getOwnerReferences();
        if (owners == null) {
            return Optional.empty();
        }
        return owners.stream().filter(o -> Boolean.TRUE.equals(o.getController()))
                .filter(o -> o.getApiVersion() != null && o.getApiVersion().contains("/")
                        && !BUILT_IN_GROUPS.contains(o.getApiVersion().substring(0, o.getApiVersion().indexOf('/'))))
                .findFirst();
    }

    private HasMetadata get(String namespace, WorkloadRef ref) {
        return switch (ref.kind()) {
            case DEPLOYMENT -> client.apps().deployments().inNamespace(namespace).withName(ref.name()).get();
            case STATEFUL_SET -> client.apps().statefulSets().inNamespace(namespace).withName(ref.name()).get();
            case DAEMON_SET -> client.apps().daemonSets().inNamespace(namespace).withName(ref.name()).get();
        };
    }
}
