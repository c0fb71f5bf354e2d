package io.rotor.orchestrator.worker;

import io.rotor.kit.messaging.EventPublisher;
import io.rotor.kit.messaging.InboundProcessor;
import io.rotor.orchestrator.config.OrchestratorConfig;
import io.rotor.orchestrator.intake.RequestHandler;
import io.rotor.orchestrator.metrics.RotationMetrics;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.saga.SagaProgress;
import io.rotor.orchestrator.saga.StallDetector;
import io.rotor.orchestrator.schedule.RotationScheduler;
import io.rotor.orchestrator.status.StatusReporter;
import java.time.Clock;
import java.util.Map;

/** What every orchestrator member shares: the plain logic, the outbound paths and the settings. */
record WorkerParts(Map<String, Object> kafka, OrchestratorConfig.Worker config,
        InboundProcessor inbound, EventPublisher publisher, SagaStates store, CredentialRegistry registry,
        RequestHandler requests, SagaProgress progress, StallDetector stalls, RotationScheduler scheduler,
        StatusReporter status, RotationMetrics metrics, Clock clock) {
}
