package io.rotor.orchestrator.plan;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.WorkloadRef;
import java.util.List;

/**
 * Finds the workloads a rotation of a credential would restart.
 *
 * <p>Interim: the pod restarter's own discovery is being written as a shared class in rotator-kit
 * ({@code io.rotor.kit.workload}); once it lands, the dry run must use that, so that the plan lists exactly what the
 * restarter will restart. {@link PodTemplateConsumerFinder} follows the rules of the ManagedCredential's
 * documentation in the meantime.
 */
@FunctionalInterface
public interface ConsumerFinder {

    /** In the credential's namespace, sorted, without duplicates. */
    List<WorkloadRef> find(CredentialRef credential, ManagedCredentialSpec spec);
}
