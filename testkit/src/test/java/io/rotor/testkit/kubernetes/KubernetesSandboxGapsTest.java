package io.rotor.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Pins what the CRUD mock does differently from a real API server (documented in testkit/README.md). Each test
 * asserts the gap as it is; one that starts failing means fabric8 closed the gap and the README should say so.
 */
class KubernetesSandboxGapsTest {

    @RegisterExtension
    final KubernetesSandboxExtension k8s = KubernetesSandboxExtension.with(KubernetesSandbox.Builder::withoutController);

    @Test
    void strategicMergePatchIsRejectedAsUnsupportedMediaType() {
        k8s.client().resource(Workloads.deployment("web", 1)).create();

        assertThatThrownBy(() -> k8s.client().apps().deployments().withName("web")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"replicas\":2}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(415));
    }

    @Test
    void serverSideApplyIsRejectedAsUnsupportedMediaType() {
        k8s.client().resource(Workloads.deployment("web", 1)).create();

        assertThatThrownBy(() -> k8s.client().resource(Workloads.deployment("web", 2)).fieldManager("rotor")
                .forceConflicts().serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(415));
    }

    @Test
    void setBasedLabelSelectorsAreIgnoredSoTheyMatchEverything() {
        KubernetesClient client = k8s.client();
        client.resource(pod("a", "blue")).create();
        client.resource(pod("b", "green")).create();

        assertThat(client.pods().withLabel("colour", "blue").list().getItems()).hasSize(1);
        assertThat(client.pods().withLabelNotIn("colour", "blue").list().getItems()).as("notin").hasSize(2);
        assertThat(client.pods().withLabelIn("colour", "blue").list().getItems()).as("in").hasSize(2);
    }

    @Test
    void fieldSelectorsOnlyKnowNameAndNamespace() {
        KubernetesClient client = k8s.client();
        client.resource(pod("a", "blue")).create();

        assertThat(client.pods().withField("metadata.name", "a").list().getItems()).hasSize(1);
        assertThat(client.pods().withField("status.phase", "Running").list().getItems()).as("status.phase").isEmpty();
    }

    @Test
    void listLimitIsIgnored() {
        KubernetesClient client = k8s.client();
        client.resource(pod("a", "blue")).create();
        client.resource(pod("b", "green")).create();

        var page = client.pods().list(new ListOptionsBuilder().withLimit(1L).build());
        assertThat(page.getItems()).hasSize(2);
        assertThat(page.getMetadata().getContinue()).isNull();
    }

    @Test
    void dryRunWritesAnyway() {
        k8s.client().resource(new SecretBuilder().withNewMetadata().withName("dry").endMetadata().build()).dryRun()
                .create();

        assertThat(k8s.client().secrets().withName("dry").get()).isNotNull();
    }

    @Test
    void podsAreDeletedAtOnceWithoutAGracePeriod() {
        k8s.client().resource(pod("a", "blue")).create();

        k8s.client().pods().withName("a").delete();

        assertThat(k8s.client().pods().withName("a").get()).isNull();
    }

    @Test
    void deletingANamespaceLeavesItsObjectsAndNamespacesNeedNotExist() {
        KubernetesClient client = k8s.client();
        client.pods().inNamespace("never-created").resource(pod("a", "blue")).create();
        client.resource(pod("b", "blue")).create();

        client.namespaces().withName(k8s.sandbox().namespace()).delete();

        assertThat(client.pods().inNamespace("never-created").withName("a").get()).isNotNull();
        assertThat(client.pods().withName("b").get()).isNotNull();
    }

    @Test
    void nothingIsValidatedBeyondKindApiVersionAndName() {
        var noSelector = Workloads.deployment("invalid", 1);
        noSelector.getSpec().setSelector(null);
        noSelector.getSpec().getTemplate().getSpec().setContainers(List.of());

        assertThat(k8s.client().resource(noSelector).create()).isNotNull();
    }

    private static Pod pod(String name, String colour) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("colour", colour).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("example").endContainer().endSpec()
                .build();
    }
}
