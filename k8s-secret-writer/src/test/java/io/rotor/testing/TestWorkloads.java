package io.rotor.testing;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;

/** Minimal workloads that read a Secret through an env secretKeyRef; selector {@code app=<name>}. */
public final class TestWorkloads {

    private TestWorkloads() {
    }

    public static Deployment deployment(String name, int replicas, String secret) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("example/" + name + ":1")
                .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef().withName(secret)
                .withKey("password").endSecretKeyRef().endValueFrom().endEnv()
                .endContainer().endSpec().endTemplate().endSpec()
                .build();
    }

    public static StatefulSet statefulSet(String name, int replicas, String secret) {
        return new StatefulSetBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("example/" + name + ":1")
                .addNewEnvFrom().withNewSecretRef().withName(secret).endSecretRef().endEnvFrom()
                .endContainer().endSpec().endTemplate().endSpec()
                .build();
    }

    public static DaemonSet daemonSet(String name, String secret) {
        return new DaemonSetBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("example/" + name + ":1").endContainer()
                .addNewVolume().withName("creds").withNewSecret().withSecretName(secret).endSecret().endVolume()
                .endSpec().endTemplate().endSpec()
                .build();
    }
}
