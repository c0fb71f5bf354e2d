package io.rotor.kit.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentials;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Pure matching: does a workload's pod template read one of a credential's Secrets, or does the workload opt in
 * through {@value ManagedCredentials#RESTART_ANNOTATION}? Works on model objects, so it is tested without a cluster and
 * can run over informer caches as well as over lists.
 */
public final class SecretReferences {

    private SecretReferences() {
    }

    /**
     * The reasons the workload reads the credential; empty when it does not.
     *
     * @param workload    the workload's own metadata (for the opt-in annotation)
     * @param template    its pod template
     * @param secretNames the credential's Secrets
     */
    public static Set<ConsumerReason> reasons(ObjectMeta workload, PodTemplateSpec template, Set<String> secretNames,
            CredentialRef credential) {
        Set<ConsumerReason> reasons = EnumSet.noneOf(ConsumerReason.class);
        if (optsIn(workload, credential) || template != null && optsIn(template.getMetadata(), credential)) {
            reasons.add(ConsumerReason.ANNOTATION);
        }
        PodSpec pod = template == null ? null : template.getSpec();
        if (pod == null) {
            return reasons;
        }
        for (Container c : containers(pod)) {
            for (EnvVar env : nullSafe(c.getEnv())) {
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null
                        && secretNames.contains(env.getValueFrom().getSecretKeyRef().getName())) {
                    reasons.add(ConsumerReason.ENV);
                }
            }
            for (EnvFromSource from : nullSafe(c.getEnvFrom())) {
                if (from.getSecretRef() != null && secretNames.contains(from.getSecretRef().getName())) {
                    reasons.add(ConsumerReason.ENV_FROM);
                }
            }
        }
        for (Volume volume : nullSafe(pod.getVolumes())) {
            if (volume.getSecret() != null && secretNames.contains(volume.getSecret().getSecretName())) {
                reasons.add(ConsumerReason.VOLUME);
            }
            if (volume.getProjected() != null) {
                for (VolumeProjection source : nullSafe(volume.getProjected().getSources())) {
                    if (source.getSecret() != null && secretNames.contains(source.getSecret().getName())) {
                        reasons.add(ConsumerReason.PROJECTED_VOLUME);
                    }
                }
            }
        }
        return reasons;
    }

    /**
     * The annotation lists credentials by name, or as {@code namespace/name}, separated by commas. A workload can only
     * opt in to credentials of its own namespace.
     */
    static boolean optsIn(ObjectMeta metadata, CredentialRef credential) {
        if (metadata == null || metadata.getAnnotations() == null) {
            return false;
        }
        String value = metadata.getAnnotations().get(ManagedCredentials.RESTART_ANNOTATION);
        if (value == null) {
            return false;
        }
        return Arrays.stream(value.split(",")).map(String::trim)
                .anyMatch(n -> n.equals(credential.name()) || n.equals(credential.asString()));
    }

    private static List<Container> containers(PodSpec pod) {
        List<Container> all = new ArrayList<>(nullSafe(pod.getInitContainers()));
        all.addAll(nullSafe(pod.getContainers()));
        return all;
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
