package io.rotor.orchestrator.worker;

import io.rotor.orchestrator.config.OrchestratorConfig;
import io.rotor.orchestrator.registry.CredentialRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the ManagedCredentials are listed and this replica's member runs; alive while the member's thread runs
 * and moves (a record retried for longer than {@code rotor.orchestrator.worker.stuck-after} is DOWN).
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

    /** Alive while the member's thread runs and no record has been retried for longer than the worker's stuck-after. */
    @Liveness
    HealthCheck alive() {
        return () -> {
            if (!config.worker().enabled()) {
                return HealthCheckResponse.up("rotor-orchestrator-member");
            }
            boolean running = workers.primary().map(OwnerWorker::running).orElse(true);
            Optional<String> stuck = workers.primary().flatMap(w -> w.stuck(config.worker().stuckAfter()));
            HealthCheckResponseBuilder response = HealthCheckResponse.named("rotor-orchestrator-member")
                    .status(running && stuck.isEmpty()).withData("running", running);
            stuck.ifPresent(at -> response.withData("stuckAt", at));
            return response.build();
        };
    }
}
