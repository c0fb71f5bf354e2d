package io.rotor.testkit.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Plays the deployment and ReplicaSet controllers plus the kubelet for one Deployment: one ReplicaSet per pod
 * template ({@code <name>-<pod-template-hash>}, revision annotations), pods owned by it, and a status that moves the
 * way {@code kubectl rollout status} expects (see {@link KubectlRolloutStatus}).
 */
final class DeploymentReconciler {

    static final String POD_TEMPLATE_HASH = "pod-template-hash";
    static final String REVISION = "deployment.kubernetes.io/revision";
    /** Pods of Deployments all land on the first fake node; nothing here schedules. */
    private static final String NODE = FakeWorkloadController.NODE_PREFIX + "0";

    private final ControllerContext context;
    private final Consumer<WorkloadRef> onRestart;

    DeploymentReconciler(ControllerContext context, Consumer<WorkloadRef> onRestart) {
        this.context = context;
        this.onRestart = onRestart;
    }

    ReconcileResult reconcile(WorkloadRef ref, RolloutState state, boolean failing) {
        KubernetesClient client = context.client();
        Deployment deployment = client.apps().deployments().inNamespace(ref.namespace()).withName(ref.name()).get();
        if (deployment == null) {
            collectGarbage(ref);
            return ReconcileResult.gone();
        }
        if (ControllerContext.isTerminating(deployment)) {
            return ReconcileResult.settled();
        }
        String uid = deployment.getMetadata().getUid();
        String hash = TemplateHash.of(deployment.getSpec().getTemplate());
        if (state.observeTemplate(hash)) {
            onRestart.accept(ref);
        }

        List<ReplicaSet> replicaSets = ownedReplicaSets(ref.namespace(), ref.name(), uid);
        ReplicaSet current = maybeCreateReplicaSet(deployment, hash, replicaSets);
        if (replicaSets.stream().noneMatch(rs -> rs.getMetadata().getUid().equals(current.getMetadata().getUid()))) {
            replicaSets = new ArrayList<>(replicaSets);
            replicaSets.add(current);
        }
        Set<String> replicaSetUids = replicaSets.stream().map(rs -> rs.getMetadata().getUid())
                .collect(Collectors.toSet());
        int desired = replicas(deployment);

        List<Pod> pods = podsOf(ref.namespace(), replicaSetUids);
        PodPlan plan = ReplicaPodPlanner.plan(pods, pod -> hash.equals(label(pod, POD_TEMPLATE_HASH)), desired,
                failing, () -> current.getMetadata().getName() + "-" + Pods.randomSuffix());
        ControllerContext.Step step = context.maybeStep(state, plan, ref.namespace(), name -> Pods.newPod(name,
                ref.namespace(), current.getSpec().getTemplate(), Map.of(POD_TEMPLATE_HASH, hash), current,
                NODE));
        if (step.taken()) {
            pods = podsOf(ref.namespace(), replicaSetUids);
        }
        Duration requeue = step.requeueAfter();

        syncReplicaSets(replicaSets, current, desired, pods);
        maybeAnnotateRevision(deployment, current);

        boolean deadlinePassed = false;
        if (failing) {
            Duration untilDeadline = context.untilProgressDeadline(state);
            deadlinePassed = untilDeadline.isZero();
            if (!deadlinePassed) {
                requeue = ControllerContext.earliest(requeue, untilDeadline);
            }
        }
        DeploymentStatus status = status(deployment, current, hash, desired, pods, failing && deadlinePassed);
        if (!Objects.equals(status, deployment.getStatus())) {
            client.apps().deployments().inNamespace(ref.namespace()).withName(ref.name()).editStatus(live -> {
                live.setStatus(status);
                return live;
            });
        }
        return ReconcileResult.of(requeue);
    }

    /**
     * The status the deployment controller would write. Zero counts are left out (null), as the API server's JSON
     * omits them — clients must treat a missing {@code readyReplicas} as 0.
     */
    static DeploymentStatus status(Deployment deployment, ReplicaSet current, String hash, int desired,
            List<Pod> pods, boolean deadlineExceeded) {
        int replicas = pods.size();
        int updated = (int) pods.stream().filter(p -> hash.equals(label(p, POD_TEMPLATE_HASH))).count();
        int ready = (int) pods.stream().filter(Pods::isReady).count();
        int available = ready;
        int unavailable = Math.max(0, Math.max(desired, replicas) - available);
        boolean complete = updated == desired && replicas == desired && available == desired;

        List<DeploymentCondition> previous = deployment.getStatus() == null ? List.of()
                : deployment.getStatus().getConditions();
        String rsName = current.getMetadata().getName();
        DeploymentCondition progressing;
        if (complete) {
            progressing = DeploymentConditions.complete(rsName, previous);
        } else if (deadlineExceeded) {
            progressing = DeploymentConditions.timedOut(rsName, previous);
        } else {
            progressing = DeploymentConditions.progressing(rsName, previous);
        }
        DeploymentCondition availableCondition = DeploymentConditions.available(
                available >= desired - maxUnavailable(deployment, desired), previous);

        return new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(omitZero(replicas))
                .withUpdatedReplicas(omitZero(updated))
                .withReadyReplicas(omitZero(ready))
                .withAvailableReplicas(omitZero(available))
                .withUnavailableReplicas(omitZero(unavailable))
                .withConditions(availableCondition, progressing)
                .build();
    }

    private ReplicaSet maybeCreateReplicaSet(Deployment deployment, String hash, List<ReplicaSet> existing) {
        String name = deployment.getMetadata().getName() + "-" + hash;
        int maxRevision = existing.stream().mapToInt(DeploymentReconciler::revision).max().orElse(0);
        for (ReplicaSet rs : existing) {
            if (rs.getMetadata().getName().equals(name)) {
                if (revision(rs) == maxRevision) {
                    return rs;
                }
                // Rolling back to an older template makes its ReplicaSet the newest revision again.
                return context.client().apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                        .withName(name).edit(live -> withAnnotation(live, REVISION,
                                Integer.toString(maxRevision + 1)));
            }
        }
        PodTemplateSpec template = new PodTemplateSpecBuilder(deployment.getSpec().getTemplate())
                .editOrNewMetadata().addToLabels(POD_TEMPLATE_HASH, hash).endMetadata()
                .build();
        Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
        ReplicaSet replicaSet = new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(deployment.getMetadata().getNamespace())
                .withLabels(labels)
                .addToAnnotations(REVISION, Integer.toString(maxRevision + 1))
                .withOwnerReferences(Pods.controllerReference(deployment))
                .endMetadata()
                .withNewSpec()
                .withReplicas(0)
                .withSelector(new LabelSelectorBuilder(deployment.getSpec().getSelector())
                        .addToMatchLabels(POD_TEMPLATE_HASH, hash).build())
                .withTemplate(template)
                .endSpec()
                .build();
        return context.client().apps().replicaSets().inNamespace(deployment.getMetadata().getNamespace())
                .resource(replicaSet).create();
    }

    /** Each ReplicaSet's spec and status follow the pods it owns now. */
    private void syncReplicaSets(List<ReplicaSet> replicaSets, ReplicaSet current, int desired, List<Pod> pods) {
        Map<String, List<Pod>> byOwner = new HashMap<>();
        pods.forEach(pod -> Pods.controllerOf(pod)
                .ifPresent(ref -> byOwner.computeIfAbsent(ref.getUid(), k -> new ArrayList<>()).add(pod)));
        for (ReplicaSet rs : replicaSets) {
            String uid = rs.getMetadata().getUid();
            List<Pod> owned = byOwner.getOrDefault(uid, List.of());
            int specReplicas = uid.equals(current.getMetadata().getUid()) ? desired : owned.size();
            var resource = context.client().apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                    .withName(rs.getMetadata().getName());
            long generation = rs.getMetadata().getGeneration() == null ? 1 : rs.getMetadata().getGeneration();
            if (!Objects.equals(rs.getSpec().getReplicas(), specReplicas)) {
                ReplicaSet updated = resource.edit(live -> {
                    live.getSpec().setReplicas(specReplicas);
                    return live;
                });
                generation = updated.getMetadata().getGeneration();
            }
            int ready = (int) owned.stream().filter(Pods::isReady).count();
            ReplicaSetStatus status = new ReplicaSetStatusBuilder()
                    .withObservedGeneration(generation)
                    .withReplicas(owned.size())
                    .withFullyLabeledReplicas(omitZero(owned.size()))
                    .withReadyReplicas(omitZero(ready))
                    .withAvailableReplicas(omitZero(ready))
                    .build();
            if (!Objects.equals(status, rs.getStatus())) {
                resource.editStatus(live -> {
                    live.setStatus(status);
                    return live;
                });
            }
        }
    }

    private void maybeAnnotateRevision(Deployment deployment, ReplicaSet current) {
        String revision = Integer.toString(revision(current));
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        if (annotations == null || !revision.equals(annotations.get(REVISION))) {
            context.client().apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
                    .withName(deployment.getMetadata().getName()).edit(live -> withAnnotation(live, REVISION,
                            revision));
        }
    }

    /** Deployment deleted: the garbage collector would remove its ReplicaSets and their pods. */
    private void collectGarbage(WorkloadRef ref) {
        KubernetesClient client = context.client();
        for (ReplicaSet rs : client.apps().replicaSets().inNamespace(ref.namespace()).list().getItems()) {
            boolean owned = Pods.controllerOf(rs)
                    .map(owner -> "Deployment".equals(owner.getKind()) && ref.name().equals(owner.getName()))
                    .orElse(false);
            if (owned) {
                deleteReplicaSet(ref.namespace(), rs);
            }
        }
    }

    /**
     * The deployment's ReplicaSets. Those of an earlier Deployment with the same name (deleted and recreated faster
     * than we reconciled) go, with their pods, as the garbage collector would remove them.
     */
    private List<ReplicaSet> ownedReplicaSets(String namespace, String deploymentName, String deploymentUid) {
        List<ReplicaSet> owned = new ArrayList<>();
        for (ReplicaSet rs : context.client().apps().replicaSets().inNamespace(namespace).list().getItems()) {
            if (Pods.isControlledBy(rs, deploymentUid)) {
                owned.add(rs);
            } else if (Pods.controllerOf(rs).map(o -> "Deployment".equals(o.getKind())
                    && deploymentName.equals(o.getName())).orElse(false)) {
                deleteReplicaSet(namespace, rs);
            }
        }
        return owned;
    }

    private void deleteReplicaSet(String namespace, ReplicaSet rs) {
        context.deletePodsOwnedBy(namespace, "ReplicaSet", rs.getMetadata().getName());
        context.client().apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName()).delete();
    }

    private List<Pod> podsOf(String namespace, Set<String> replicaSetUids) {
        return context.client().pods().inNamespace(namespace).list().getItems().stream()
                .filter(pod -> Pods.controllerOf(pod).map(ref -> replicaSetUids.contains(ref.getUid())).orElse(false))
                .filter(pod -> !Pods.isTerminating(pod))
                .toList();
    }

    static int replicas(Deployment deployment) {
        Integer replicas = deployment.getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    /** maxUnavailable of a RollingUpdate strategy (default 25%, rounded down); 0 for Recreate. */
    static int maxUnavailable(Deployment deployment, int desired) {
        var strategy = deployment.getSpec().getStrategy();
        if (strategy != null && "Recreate".equals(strategy.getType())) {
            return 0;
        }
        IntOrString value = strategy == null || strategy.getRollingUpdate() == null ? null
                : strategy.getRollingUpdate().getMaxUnavailable();
        if (value == null) {
            return desired / 4;
        }
        if (value.getIntVal() != null) {
            return Math.min(value.getIntVal(), desired);
        }
        String percent = value.getStrVal().replace("%", "").trim();
        return Math.min(desired, desired * Integer.parseInt(percent) / 100);
    }

    private static int revision(ReplicaSet rs) {
        Map<String, String> annotations = rs.getMetadata().getAnnotations();
        String revision = annotations == null ? null : annotations.get(REVISION);
        return revision == null ? 0 : Integer.parseInt(revision);
    }

    static <T extends HasMetadata> T withAnnotation(T object, String key,
            String value) {
        Map<String, String> annotations = object.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(object.getMetadata().getAnnotations());
        annotations.put(key, value);
        object.getMetadata().setAnnotations(annotations);
        return object;
    }

    static String label(Pod pod, String key) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    static Integer omitZero(int value) {
        return value == 0 ? null : value;
    }
}
