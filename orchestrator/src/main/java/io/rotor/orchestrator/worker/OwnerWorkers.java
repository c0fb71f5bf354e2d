package io.rotor.orchestrator.worker;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.password.PasswordGenerator;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.kit.messaging.EventPublisher;
import io.rotor.kit.messaging.InFlightRecords;
import io.rotor.kit.messaging.InboundProcessor;
import io.rotor.orchestrator.config.OrchestratorConfig;
import io.rotor.orchestrator.intake.RequestHandler;
import io.rotor.orchestrator.intake.RotationStarter;
import io.rotor.orchestrator.metrics.RotationMetrics;
import io.rotor.orchestrator.plan.ConsumerFinder;
import io.rotor.orchestrator.plan.KubernetesDryRunPlanner;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.saga.SagaProgress;
import io.rotor.orchestrator.saga.StallDetector;
import io.rotor.orchestrator.schedule.RotationScheduler;
import io.rotor.orchestrator.schedule.ScheduleCalculator;
import io.rotor.orchestrator.status.StatusReporter;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Builds the orchestrator's group members from the application's beans and starts this replica's member at start-up.
 * Further members (a second replica in a test JVM) come from {@link #create}.
 */
@ApplicationScoped
public class OwnerWorkers {

    private static final Logger LOG = Logger.getLogger(OwnerWorkers.class);

    private final OrchestratorConfig config;
    private final WorkerParts parts;
    private final InFlightRecords inFlight;
    private final List<OwnerWorker> members = new CopyOnWriteArrayList<>();
    private volatile OwnerWorker primary;

    @Inject
    public OwnerWorkers(OrchestratorConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            InboundProcessor inbound, EventPublisher publisher, CredentialRegistry registry, SealingKeys keys,
            KubernetesClient client, StatusReporter status, MeterRegistry meters, Clock clock,
            InFlightRecords inFlight, SagaProgress progress, StallDetector stalls) {
        this.config = config;
        this.inFlight = inFlight;
        RequestHandler requests = new RequestHandler(registry, config.rotators(),
                new RotationStarter(new PasswordGenerator(new SecureRandom()), keys),
                new KubernetesDryRunPlanner(client, ConsumerFinder.of(client), config.plan().checkSecrets()), keys,
                clock, () -> UUID.randomUUID().toString(), config.saga().rememberedRequests(),
                config.intake().acceptPlainConfirmations());
        if (config.intake().acceptPlainConfirmations()) {
            LOG.warn("rotor.orchestrator.intake.accept-plain-confirmations=true: operator confirmations with a plain "
                    + "password are taken from rotor.requests, where that password stays readable until retention "
                    + "removes it");
        }
        this.parts = new WorkerParts(kafka, config.worker(), inbound, publisher,
                new SagaStateStore(kafka, config.worker().publishTimeout(),
                        config.worker().forgetUnreadableState().orElse(List.of()).stream().map(CredentialRef::parse)
                                .collect(Collectors.toSet())), registry, requests, progress,
                stalls, new RotationScheduler(new ScheduleCalculator()), status,
                new RotationMetrics(meters), clock);
    }

    void onStart(@Observes @Priority(10) StartupEvent startup) {
        if (config.worker().enabled()) {
            primary = create(Optional.ofNullable(System.getenv("HOSTNAME")).orElse("main"));
            primary.start();
        } else {
            LOG.info("rotor.orchestrator.worker.enabled=false: this replica serves queries only");
        }
    }

    void onStop(@Observes ShutdownEvent shutdown) {
        members.forEach(OwnerWorker::stop);
        parts.store().close();
    }

    /** A new, not yet started member sharing this application's logic and outbound paths. */
    public OwnerWorker create(String name) {
        OwnerWorker worker = new OwnerWorker(name, parts, inFlight);
        members.add(worker);
        return worker;
    }

    /** This replica's own member, if it runs one. */
    public Optional<OwnerWorker> primary() {
        return Optional.ofNullable(primary);
    }

    /** The member that owns a credential's saga, among those in this JVM. */
    public Optional<OwnerWorker> ownerOf(io.rotor.contracts.credential.CredentialRef ref) {
        return members.stream().filter(OwnerWorker::running).filter(m -> m.owns(ref)).findFirst();
    }
}
