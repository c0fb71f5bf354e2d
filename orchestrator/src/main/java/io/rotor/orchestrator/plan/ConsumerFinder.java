package io.rotor.orchestrator.plan;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.WorkloadRef;
import io.rotor.kit.workload.ConsumerWorkload;
import io.rotor.kit.workload.WorkloadDiscovery;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the workloads a rotation of a credential would restart. {@link #of(KubernetesClient)} is the pod restarter's
 * own discovery ({@link WorkloadDiscovery}), so the plan lists exactly what the restarter will restart.
 */
@FunctionalInterface
public interface ConsumerFinder {

    /** In the credential's namespace, sorted, without duplicates. */
    List<WorkloadRef> find(CredentialRef credential, ManagedCredentialSpec spec);

    /** The workloads that exist and read the credential; a named workload that does not exist is not restarted. */
    static ConsumerFinder of(KubernetesClient client) {
        WorkloadDiscovery discovery = new WorkloadDiscovery(client);
        return (credential, spec) -> discovery.find(credential, spec).stream()
                .filter(ConsumerWorkload::exists)
                .map(ConsumerWorkload::ref)
                .distinct()
                .sorted(Comparator.comparing((WorkloadRef w) -> w.kind().name()).thenComparing(WorkloadRef::name))
                .toList();
    }
}
