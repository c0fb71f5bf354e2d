package io.rotor.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;

class ReplicaPodPlannerTest {

    private final AtomicInteger names = new AtomicInteger();
    private final Supplier<String> newName = () -> "new-" + names.incrementAndGet();

    @Test
    void rollingUpdateSurgesOnePodAndRemovesAnOldOneOnlyAfterTheNewOneIsReady() {
        List<Pod> pods = new ArrayList<>(List.of(pod("old-1", "v1", true), pod("old-2", "v1", true)));

        PodPlan first = ReplicaPodPlanner.plan(pods, this::isV2, 2, false, newName);
        assertThat(first.create()).containsExactly("new-1");
        assertThat(first.delete()).isEmpty();

        pods.add(pod("new-1", "v2", false));
        PodPlan second = ReplicaPodPlanner.plan(pods, this::isV2, 2, false, newName);
        assertThat(second.markReady()).extracting(p -> p.getMetadata().getName()).containsExactly("new-1");
        assertThat(second.delete()).hasSize(1);
        assertThat(second.create()).containsExactly("new-2");
    }

    @Test
    void failingRolloutStopsAfterTheFirstUnreadyPod() {
        List<Pod> pods = List.of(pod("old-1", "v1", true), pod("old-2", "v1", true), pod("new-1", "v2", false));

        PodPlan plan = ReplicaPodPlanner.plan(pods, this::isV2, 2, true, newName);

        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void missingPodsWithoutARolloutAreCreatedAllAtOnce() {
        PodPlan plan = ReplicaPodPlanner.plan(List.of(pod("a", "v2", true)), this::isV2, 3, false, newName);

        assertThat(plan.create()).hasSize(2);
    }

    @Test
    void scalingToZeroDeletesEveryPodOldAndNew() {
        List<Pod> pods = List.of(pod("old-1", "v1", true), pod("new-1", "v2", true), pod("new-2", "v2", false));

        PodPlan plan = ReplicaPodPlanner.plan(pods, this::isV2, 0, false, newName);

        assertThat(plan.delete()).hasSize(3);
        assertThat(plan.create()).isEmpty();
    }

    private boolean isV2(Pod pod) {
        return "v2".equals(pod.getMetadata().getLabels().get("version"));
    }

    private static Pod pod(String name, String version, boolean ready) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).addToLabels("version", version).endMetadata()
                .withNewSpec().addNewContainer().withName("main").endContainer().endSpec().build();
        pod.setStatus(ready ? Pods.readyStatus(pod)
                : Pods.pendingStatus(new PodTemplateSpecBuilder().withSpec(pod.getSpec()).build()));
        return pod;
    }
}
