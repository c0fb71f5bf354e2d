package io.rotor.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

class KubernetesSandboxTest {

    @RegisterExtension
    final KubernetesSandboxExtension k8s = KubernetesSandboxExtension.with(sandbox -> sandbox
            .withManagedCredentialCrd()
            .withoutController());

    @Test
    void managedCredentialsSupportCreateGetListWatchUpdateAndStatusUpdate() {
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> credentials =
                k8s.client().genericKubernetesResources(RotorCustomResources.managedCredentialContext());
        List<String> events = new CopyOnWriteArrayList<>();
        Watch watch = credentials.watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                events.add(action + " " + resource.getMetadata().getName() + " gen="
                        + resource.getMetadata().getGeneration());
            }

            @Override
            public void onClose(WatcherException cause) {
                // Closed by the test.
            }
        });
        try {
            GenericKubernetesResource created = credentials.resource(managedCredential("configui-admin", "manual"))
                    .create();
            assertThat(created.getMetadata().getNamespace()).isEqualTo(k8s.sandbox().namespace());
            assertThat(created.getMetadata().getGeneration()).isEqualTo(1);
            assertThat(credentials.withName("configui-admin").get().<String>get("spec", "strategy"))
                    .isEqualTo("manual");
            assertThat(credentials.list().getItems()).extracting(r -> r.getMetadata().getName())
                    .containsExactly("configui-admin");

            GenericKubernetesResource updated = credentials.withName("configui-admin").edit(r -> {
                r.<Map<String, Object>>get("spec").put("strategy", "replace");
                return r;
            });
            assertThat(updated.getMetadata().getGeneration()).as("spec change bumps generation").isEqualTo(2);

            GenericKubernetesResource withStatus = credentials.withName("configui-admin").editStatus(r -> {
                r.setAdditionalProperty("status", Map.of("lastOutcome", "Succeeded", "observedGeneration", 2));
                return r;
            });
            assertThat(withStatus.getMetadata().getGeneration()).as("status change keeps generation").isEqualTo(2);
            assertThat(credentials.withName("configui-admin").get().<String>get("status", "lastOutcome"))
                    .isEqualTo("Succeeded");

            credentials.withName("configui-admin").edit(r -> {
                r.setAdditionalProperty("status", Map.of("lastOutcome", "Overwritten"));
                return r;
            });
            assertThat(credentials.withName("configui-admin").get().<String>get("status", "lastOutcome"))
                    .as("status subresource: the main resource cannot change status").isEqualTo("Succeeded");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events)
                    .contains("ADDED configui-admin gen=1", "MODIFIED configui-admin gen=2"));
        } finally {
            watch.close();
        }
    }

    @Test
    void loadCreatesEveryObjectOfAYamlStreamInTheSandboxNamespace() {
        List<HasMetadata> created = k8s.sandbox().loadYaml("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: configui-user-secrets
                stringData:
                  .mlc_password: initial
                ---
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata:
                  name: configui-admin
                spec:
                  platform: configui
                """);

        assertThat(created).extracting(HasMetadata::getKind).containsExactly("Secret", "ManagedCredential");
        assertThat(created).allSatisfy(o -> assertThat(o.getMetadata().getNamespace())
                .isEqualTo(k8s.sandbox().namespace()));
        Secret secret = k8s.client().secrets().withName("configui-user-secrets").get();
        assertThat(decode(secret, ".mlc_password")).isEqualTo("initial");
    }

    @Test
    void secretStringDataIsFoldedIntoDataOnCreateReplaceAndPatch() {
        KubernetesClient client = k8s.client();
        Secret created = client.resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata()
                .addToData("kept", encode("old")).addToStringData("password", "one").build()).create();
        assertThat(created.getStringData()).isEmpty();
        assertThat(decode(created, "password")).isEqualTo("one");
        assertThat(decode(created, "kept")).isEqualTo("old");

        Secret replaced = client.secrets().withName("s").get();
        replaced.setStringData(Map.of("password", "two"));
        client.resource(replaced).update();
        assertThat(decode(client.secrets().withName("s").get(), "password")).isEqualTo("two");

        client.secrets().withName("s").edit(s -> new SecretBuilder(s).addToStringData("password", "three").build());
        Secret patched = client.secrets().withName("s").get();
        assertThat(patched.getStringData()).isEmpty();
        assertThat(decode(patched, "password")).isEqualTo("three");
        assertThat(decode(patched, "kept")).isEqualTo("old");
    }

    @Test
    void generationBumpsOnSpecChangesOnly() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.deployment("web", 1)).create();
        var web = client.apps().deployments().withName("web");
        assertThat(web.get().getMetadata().getGeneration()).isEqualTo(1);

        web.edit(d -> {
            d.getMetadata().getLabels().put("team", "rotor");
            return d;
        });
        assertThat(web.get().getMetadata().getGeneration()).as("metadata change").isEqualTo(1);

        web.editStatus(d -> {
            d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(1).build());
            return d;
        });
        assertThat(web.get().getMetadata().getGeneration()).as("status change").isEqualTo(1);

        web.rolling().restart();
        assertThat(web.get().getMetadata().getGeneration()).as("pod template change").isEqualTo(2);

        web.scale(3);
        assertThat(web.get().getMetadata().getGeneration()).as("replicas change via /scale").isEqualTo(3);
    }

    @Test
    void workloadsGetTheApiServerDefaultsKubectlDependsOn() {
        KubernetesClient client = k8s.client();
        Deployment deployment = Workloads.deployment("web", 1);
        deployment.getSpec().setReplicas(null);
        Deployment web = client.resource(deployment).create();
        StatefulSet cache = client.resource(Workloads.statefulSet("cache", 1)).create();

        assertThat(web.getSpec().getReplicas()).isEqualTo(1);
        assertThat(web.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(web.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
        assertThat(cache.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(cache.getSpec().getUpdateStrategy().getRollingUpdate().getPartition()).isZero();
        assertThat(cache.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
    }

    @Test
    void scaleSubresourceServesAScaleAndChangesOnlyReplicas() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.deployment("web", 2)).create();
        var web = client.apps().deployments().withName("web");

        Scale scale = web.scale();
        assertThat(scale.getKind()).isEqualTo("Scale");
        assertThat(scale.getSpec().getReplicas()).isEqualTo(2);
        assertThat(scale.getStatus().getSelector()).isEqualTo("app=web");

        Scale written = web.scale(new ScaleBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(0).endSpec().build());
        assertThat(written.getSpec().getReplicas()).isZero();

        Deployment after = web.get();
        assertThat(after.getKind()).isEqualTo("Deployment");
        assertThat(after.getSpec().getReplicas()).isZero();
        assertThat(after.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
    }

    @Test
    void jsonMergePatchRemovesMembersSetToNullAndReplacesArrays() {
        KubernetesClient client = k8s.client();
        Deployment deployment = Workloads.deployment("web", 1);
        deployment.getMetadata().setLabels(Map.of("team", "rotor", "tier", "front"));
        client.resource(deployment).create();

        client.apps().deployments().withName("web").patch(PatchContext.of(PatchType.JSON_MERGE), """
                {"metadata": {"labels": {"tier": null}},
                 "spec": {"template": {"spec": {"containers": [{"name": "other", "image": "example/other:2"}]}}}}
                """);

        Deployment patched = client.apps().deployments().withName("web").get();
        assertThat(patched.getMetadata().getLabels()).containsOnly(Map.entry("team", "rotor"));
        assertThat(patched.getSpec().getTemplate().getSpec().getContainers()).singleElement()
                .satisfies(c -> assertThat(c.getName()).isEqualTo("other"));
        assertThat(patched.getMetadata().getGeneration()).isEqualTo(2);
    }

    @Test
    void jsonMergePatchWithAStaleResourceVersionConflicts() {
        KubernetesClient client = k8s.client();
        client.resource(Workloads.deployment("web", 1)).create();

        assertThatThrownBy(() -> client.apps().deployments().withName("web").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\": {\"resourceVersion\": \"1\", \"labels\": {\"a\": \"b\"}}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    private static GenericKubernetesResource managedCredential(String name, String strategy) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(RotorCustomResources.MANAGED_CREDENTIAL_API_VERSION)
                .withKind(RotorCustomResources.MANAGED_CREDENTIAL_KIND)
                .withNewMetadata().withName(name).endMetadata()
                .addToAdditionalProperties("spec", new HashMap<>(Map.of("platform", "configui",
                        "strategy", strategy)))
                .build();
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
