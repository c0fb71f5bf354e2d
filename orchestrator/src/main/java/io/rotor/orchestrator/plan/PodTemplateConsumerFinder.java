package io.rotor.orchestrator.plan;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.WorkloadKind;
import io.rotor.contracts.credential.WorkloadRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The workloads named in {@code spec.consumers.workloads}, plus (unless discovery is off) every Deployment,
 * StatefulSet and DaemonSet in the credential's namespace whose pod template reads one of the credential's Secrets
 * (env, envFrom, secret volumes, projected volumes; containers and init containers) or whose workload or pod template
 * carries {@value ManagedCredentials#RESTART_ANNOTATION} naming the credential. Interim, see {@link ConsumerFinder}.
 */
public final class PodTemplateConsumerFinder implements ConsumerFinder {

    private final KubernetesClient client;

    public PodTemplateConsumerFinder(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public List<WorkloadRef> find(CredentialRef credential, ManagedCredentialSpec spec) {
        Set<WorkloadRef> found = new TreeSet<>(Comparator.comparing((WorkloadRef w) -> w.kind().ordinal())
                .thenComparing(WorkloadRef::name));
        found.addAll(spec.consumersOrDefault().workloadList());
        if (spec.consumersOrDefault().discoverEnabled()) {
            Set<String> secrets = spec.secretList().stream().map(SecretTarget::name).collect(Collectors.toSet());
            String ns = credential.namespace();
            client.apps().deployments().inNamespace(ns).list().getItems().stream()
                    .filter(d -> reads(d, d.getSpec().getTemplate(), credential, secrets))
                    .forEach(d -> found.add(new WorkloadRef(WorkloadKind.DEPLOYMENT, d.getMetadata().getName())));
            client.apps().statefulSets().inNamespace(ns).list().getItems().stream()
                    .filter(s -> reads(s, s.getSpec().getTemplate(), credential, secrets))
                    .forEach(s -> found.add(new WorkloadRef(WorkloadKind.STATEFUL_SET, s.getMetadata().getName())));
            client.apps().daemonSets().inNamespace(ns).list().getItems().stream()
                    .filter(d -> reads(d, d.getSpec().getTemplate(), credential, secrets))
                    .forEach(d -> found.add(new WorkloadRef(WorkloadKind.DAEMON_SET, d.getMetadata().getName())));
        }
        return new ArrayList<>(found);
    }

    static boolean reads(HasMetadata workload, PodTemplateSpec template, CredentialRef credential,
            Set<String> secrets) {
        if (optsIn(workload.getMetadata().getAnnotations(), credential)
                || template != null && template.getMetadata() != null
                        && optsIn(template.getMetadata().getAnnotations(), credential)) {
            return true;
        }
        if (template == null || template.getSpec() == null) {
            return false;
        }
        return referencedSecrets(template.getSpec()).anyMatch(secrets::contains);
    }

    private static boolean optsIn(Map<String, String> annotations, CredentialRef credential) {
        if (annotations == null || !annotations.containsKey(ManagedCredentials.RESTART_ANNOTATION)) {
            return false;
        }
        return Arrays.stream(annotations.get(ManagedCredentials.RESTART_ANNOTATION).split(","))
                .map(String::trim).anyMatch(credential.name()::equals);
    }

    static Stream<String> referencedSecrets(PodSpec pod) {
        List<String> names = new ArrayList<>();
        List<Container> containers = new ArrayList<>();
        if (pod.getContainers() != null) {
            containers.addAll(pod.getContainers());
        }
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        for (Container c : containers) {
            if (c.getEnv() != null) {
                for (EnvVar env : c.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        names.add(env.getValueFrom().getSecretKeyRef().getName());
                    }
                }
            }
            if (c.getEnvFrom() != null) {
                for (EnvFromSource from : c.getEnvFrom()) {
                    if (from.getSecretRef() != null) {
                        names.add(from.getSecretRef().getName());
                    }
                }
            }
        }
        if (pod.getVolumes() != null) {
            for (Volume v : pod.getVolumes()) {
                if (v.getSecret() != null) {
                    names.add(v.getSecret().getSecretName());
                }
                if (v.getProjected() != null && v.getProjected().getSources() != null) {
                    for (VolumeProjection p : v.getProjected().getSources()) {
                        if (p.getSecret() != null) {
                            names.add(p.getSecret().getName());
                        }
                    }
                }
            }
        }
        return names.stream().filter(java.util.Objects::nonNull);
    }
}
