package io.rotor.testkit.kubernetes;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/** Pods as the fake kubelet shows them: created Pending, then Running and Ready one step later. */
final class Pods {

    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

    private Pods() {
    }

    /** A random 5-character suffix, like the API server's generateName. */
    static String randomSuffix() {
        StringBuilder suffix = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            suffix.append(ALPHANUMS.charAt(ThreadLocalRandom.current().nextInt(ALPHANUMS.length())));
        }
        return suffix.toString();
    }

    static OwnerReference controllerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    static Optional<OwnerReference> controllerOf(HasMetadata object) {
        return object.getMetadata().getOwnerReferences().stream()
                .filter(ref -> Boolean.TRUE.equals(ref.getController()))
                .findFirst();
    }

    static boolean isControlledBy(HasMetadata object, String ownerUid) {
        return controllerOf(object).map(ref -> ownerUid.equals(ref.getUid())).orElse(false);
    }

    /** A new pod from a template: its labels plus {@code extraLabels}, owned by {@code owner}, not yet ready. */
    static Pod newPod(String name, String namespace, PodTemplateSpec template, Map<String, String> extraLabels,
            HasMetadata owner, String nodeName) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.putAll(extraLabels);
        Map<String, String> annotations = template.getMetadata() == null
                || template.getMetadata().getAnnotations() == null ? Map.of()
                        : template.getMetadata().getAnnotations();
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(controllerReference(owner))
                .endMetadata()
                .withSpec(template.getSpec())
                .editOrNewSpec().withNodeName(nodeName).endSpec()
                .withStatus(pendingStatus(template))
                .build();
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** Pending with containers being created: what a pod shows until its containers start (or forever, if they fail). */
    static PodStatus pendingStatus(PodTemplateSpec template) {
        String now = now();
        List<ContainerStatus> containers = new ArrayList<>();
        if (template.getSpec() != null) {
            template.getSpec().getContainers().forEach(container -> containers.add(new ContainerStatusBuilder()
                    .withName(container.getName())
                    .withImage(container.getImage())
                    .withReady(false)
                    .withStarted(false)
                    .withRestartCount(0)
                    .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState()
                    .build()));
        }
        return new PodStatusBuilder()
                .withPhase("Pending")
                .withConditions(condition("PodScheduled", "True", now), condition("Ready", "False", now))
                .withContainerStatuses(containers)
                .build();
    }

    /** Running, every container started and ready. */
    static PodStatus readyStatus(Pod pod) {
        String now = now();
        List<ContainerStatus> containers = new ArrayList<>();
        pod.getSpec().getContainers().forEach(container -> containers.add(new ContainerStatusBuilder()
                .withName(container.getName())
                .withImage(container.getImage())
                .withReady(true)
                .withStarted(true)
                .withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt(now).endRunning().endState()
                .build()));
        return new PodStatusBuilder()
                .withPhase("Running")
                .withStartTime(now)
                .withConditions(condition("Initialized", "True", now), condition("Ready", "True", now),
                        condition("ContainersReady", "True", now), condition("PodScheduled", "True", now))
                .withContainerStatuses(containers)
                .build();
    }

    private static PodCondition condition(String type, String status, String now) {
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(now).build();
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
