package io.rotor.orchestrator.worker;

import io.rotor.orchestrator.config.OrchestratorConfig;
import io.rotor.orchestrator.registry.CredentialRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the ManagedCredentials are listed and this replica's member runs; alive while the member's thread is. */
@ApplicationScoped
public class OrchestratorHealth {

    @Inject
    OwnerWorkers workers;

    @Inject
    CredentialRegistry registry;

    @Inject
    OrchestratorConfig config;

    @Readiness
    HealthCheck ready() {
        return () -> {
            boolean member = !config.worker().enabled() || workers.primary().map(OwnerWorker::running).orElse(false);
            return HealthCheckResponse.named("rotor-orchestrator").status(member && registry.synced())
                    .withData("registrySynced", registry.synced())
                    .withData("memberRunning", member)
                    .withData("ownedPartitions", workers.primary().map(w -> w.ownedPartitions().toString())
                            .orElse("[]"))
                    .withData("retriedRecords", workers.primary().map(OwnerWorker::failures).orElse(0L))
                    .build();
        };
    }

    @Liveness
    HealthCheck alive() {
        return () -> HealthCheckResponse.named("rotor-orchestrator-member")
                .status(!config.worker().enabled() || workers.primary().map(OwnerWorker::running).orElse(true))
                .build();
    }
}
