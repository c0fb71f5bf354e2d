package io.rotor.restart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.rotor.contracts.credential.WorkloadRef;
import io.rotor.k8s.ApiCalls;
import io.rotor.k8s.ApiError;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The API calls the restarter makes on Deployments, StatefulSets, DaemonSets and their pods. Changes go through JSON
 * merge patches or updates carrying the resourceVersion that was read; no strategic merge patch (which some API
 * servers and test servers refuse), no server-side apply.
 */
final class WorkloadResources {

    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    private final KubernetesClient client;
    private final ApiCalls api;

    WorkloadResources(KubernetesClient client, ApiCalls api) {
        this.client = client;
        this.api = api;
    }

    /** The workload, or null when it does not exist. */
    HasMetadata get(String namespace, WorkloadRef ref) {
        try {
            return api.call("reading " + describe(namespace, ref), () -> switch (ref.kind()) {
                case DEPLOYMENT -> client.apps().deployments().inNamespace(namespace).withName(ref.name()).get();
                case STATEFUL_SET -> client.apps().statefulSets().inNamespace(namespace).withName(ref.name()).get();
                case DAEMON_SET -> client.apps().daemonSets().inNamespace(namespace).withName(ref.name()).get();
            });
        } catch (KubernetesClientException e) {
            throw RestartFailure.of(e, "reading " + describe(namespace, ref));
        }
    }

    void mergePatch(String namespace, WorkloadRef ref, String json) {
        try {
            api.run("patching " + describe(namespace, ref), () -> {
                switch (ref.kind()) {
                    case DEPLOYMENT -> client.apps().deployments().inNamespace(namespace).withName(ref.name()).patch(MERGE, json);
                    case STATEFUL_SET -> client.apps().statefulSets().inNamespace(namespace).withName(ref.name()).patch(MERGE, json);
                    case DAEMON_SET -> client.apps().daemonSets().inNamespace(namespace).withName(ref.name()).patch(MERGE, json);
                }
            });
        } catch (KubernetesClientException e) {
            throw RestartFailure.of(e, "patching " + describe(namespace, ref));
        }
    }

    /** Replaces the workload; a 409 (changed since read) is left to the caller, which reads again. */
    void update(HasMetadata workload) {
        api.run("updating " + workload.getKind() + " " + workload.getMetadata().getName(),
                () -> client.resource(workload).update());
    }

    /** The pods the workload controls (through its ReplicaSets, for a Deployment), found by selector and owner. */
    List<Pod> pods(String namespace, HasMetadata workload) {
        try {
            return api.call("listing the pods of " + workload.getKind() + " " + workload.getMetadata().getName(), () -> {
                LabelSelector selector = selector(workload);
                Set<String> owners;
                if (workload instanceof Deployment) {
                    List<ReplicaSet> sets = client.apps().replicaSets().inNamespace(namespace).withLabelSelector(selector)
                            .list().getItems();
                    owners = sets.stream().filter(rs -> controlledBy(rs, workload.getMetadata().getUid()))
                            .map(rs -> rs.getMetadata().getUid()).collect(Collectors.toSet());
                } else {
                    owners = Set.of(workload.getMetadata().getUid());
                }
                return client.pods().inNamespace(namespace).withLabelSelector(selector).list().getItems().stream()
                        .filter(p -> owners.stream().anyMatch(uid -> controlledBy(p, uid)))
                        .toList();
            });
        } catch (KubernetesClientException e) {
            throw RestartFailure.of(e, "listing the pods of " + workload.getKind() + " " + workload.getMetadata().getName());
        }
    }

    void delete(Pod pod) {
        try {
            api.run("deleting pod " + pod.getMetadata().getName(), () -> client.pods()
                    .inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete());
        } catch (KubernetesClientException e) {
            if (ApiError.of(e) != ApiError.NOT_FOUND) {
                throw RestartFailure.of(e, "deleting pod " + pod.getMetadata().getName());
            }
        }
    }

    /** The replicas the workload should run: spec.replicas (default 1), or the nodes a DaemonSet is scheduled on. */
    static int desiredReplicas(HasMetadata workload) {
        if (workload instanceof Deployment d) {
            return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        }
        if (workload instanceof StatefulSet s) {
            return s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        }
        DaemonSet s = (DaemonSet) workload;
        return s.getStatus() == null || s.getStatus().getDesiredNumberScheduled() == null ? 0
                : s.getStatus().getDesiredNumberScheduled();
    }

    static boolean ready(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static String describe(String namespace, WorkloadRef ref) {
        return kindName(ref) + " " + namespace + "/" + ref.name();
    }

    static String kindName(WorkloadRef ref) {
        return switch (ref.kind()) {
            case DEPLOYMENT -> "Deployment";
            case STATEFUL_SET -> "StatefulSet";
            case DAEMON_SET -> "DaemonSet";
        };
    }

    private static LabelSelector selector(HasMetadata workload) {
        if (workload instanceof Deployment d) {
            return d.getSpec().getSelector();
        }
        if (workload instanceof StatefulSet s) {
            return s.getSpec().getSelector();
        }
        return ((DaemonSet) workload).getSpec().getSelector();
    }

    private static boolean controlledBy(HasMetadata object, String uid) {
        List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
        return owners != null && owners.stream()
                .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && uid.equals(o.getUid()));
    }
}
