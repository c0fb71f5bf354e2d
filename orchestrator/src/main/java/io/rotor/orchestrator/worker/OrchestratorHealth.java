package io.rotor.orchestrator.worker;

import io.rotor.orchestrator.config.OrchestratorConfig;
import io.rotor.orchestrator.registry.CredentialRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the ManagedCredentials are listed and this replica's member runs; alive while the member's thread runs.
 * Whether it moves is the kit's liveness check: the member holds its record's in-flight mark across retries, so a
 * record retried for longer than {@code rotor.orchestrator.worker.stuck-after} (the orchestrator's
 * {@code rotor.health.stuck-after}) is DOWN there.
 */
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

    /** Alive while the member's thread runs (its progress: the kit's {@code ConsumerProgressCheck}). */
    @Liveness
    HealthCheck alive() {
        return () -> {
            if (!config.worker().enabled()) {
                return HealthCheckResponse.up("rotor-orchestrator-member");
            }
            boolean running = workers.primary().map(OwnerWorker::running).orElse(true);
            return HealthCheckResponse.named("rotor-orchestrator-member").status(running)
                    .withData("running", running).build();
        };
    }
}
