package io.rotor.orchestrator.plan;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.credential.WorkloadRef;
import io.rotor.contracts.event.RotationPlan;
import io.rotor.orchestrator.intake.DryRunPlanner;
import io.rotor.orchestrator.registry.RegisteredCredential;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A dry run: reads (never writes) the Kubernetes API to say which Secrets and keys a rotation would change and which
 * workloads would restart, and lists the platform calls. Nothing here needs or sees a secret value.
 */
public final class KubernetesDryRunPlanner implements DryRunPlanner {

    private static final Logger LOG = Logger.getLogger(KubernetesDryRunPlanner.class);

    private final KubernetesClient client;
    private final ConsumerFinder consumers;
    private final boolean checkSecrets;

    /** @param checkSecrets whether to look each Secret up (needs {@code get} on Secrets); otherwise exists is null */
    public KubernetesDryRunPlanner(KubernetesClient client, ConsumerFinder consumers, boolean checkSecrets) {
        this.client = client;
        this.consumers = consumers;
        this.checkSecrets = checkSecrets;
    }

    @Override
    public RotationPlan plan(RegisteredCredential credential) {
        CredentialRef ref = credential.ref();
        ManagedCredentialSpec spec = credential.spec();
        Set<CredentialField> changing = changingFields(spec);
        List<RotationPlan.PlannedSecret> secrets = new ArrayList<>();
        for (SecretTarget target : spec.secretList()) {
            secrets.add(new RotationPlan.PlannedSecret(target.name(), keys(target, changing),
                    checkSecrets ? exists(ref.namespace(), target.name()) : null));
        }
        List<WorkloadRef> workloads;
        try {
            workloads = consumers.find(ref, spec);
        } catch (KubernetesClientException e) {
            // A plan that cannot list workloads still says what it can; the gap is in the calls' list.
            LOG.warnf("dry run of %s could not list workloads: %s", ref, e.getMessage());
            workloads = List.of();
        }
        List<String> calls = new ArrayList<>(PlatformCalls.of(spec));
        Duration delay = spec.strategy().overlap() ? spec.propagationDelayOrDefault() : Duration.ZERO;
        return new RotationPlan(calls, secrets, workloads, spec.consumersOrDefault().restartStrategyOrDefault(), delay,
                spec.vault() == null ? null : spec.vault().path());
    }

    /** The fields a rotation writes: the new password, or a new identity's name or id alongside its secret. */
    static Set<CredentialField> changingFields(ManagedCredentialSpec spec) {
        if (spec.strategy() != Strategy.NEW_IDENTITY) {
            return EnumSet.of(CredentialField.PASSWORD);
        }
        return spec.platform() == Platform.OPENSTACK_KEYSTONE
                ? EnumSet.of(CredentialField.APPLICATION_CREDENTIAL_ID, CredentialField.APPLICATION_CREDENTIAL_SECRET)
                : EnumSet.of(CredentialField.USERNAME, CredentialField.PASSWORD);
    }

    private static List<String> keys(SecretTarget target, Set<CredentialField> changing) {
        if (target.format() != SecretFormat.KEYS) {
            return List.of(target.fileKey());
        }
        List<String> keys = new ArrayList<>();
        target.keys().forEach((field, dataKey) -> CredentialField.fromKey(field)
                .filter(changing::contains).ifPresent(f -> keys.add(dataKey)));
        keys.sort(String::compareTo);
        return keys;
    }

    private Boolean exists(String namespace, String name) {
        try {
            return client.secrets().inNamespace(namespace).withName(name).get() != null;
        } catch (KubernetesClientException e) {
            LOG.warnf("dry run could not read Secret %s/%s: %s", namespace, name, e.getMessage());
            return null;
        }
    }
}
