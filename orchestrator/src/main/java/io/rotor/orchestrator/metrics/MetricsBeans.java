package io.rotor.orchestrator.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rotor.orchestrator.config.OrchestratorConfig;
import io.rotor.orchestrator.query.RotationLog;
import io.rotor.orchestrator.registry.CredentialRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Keeps the read-model gauges current on a timer of their own; the per-credential rows change as credentials do. */
@ApplicationScoped
public class MetricsBeans {

    private static final Logger LOG = Logger.getLogger(MetricsBeans.class);

    @Inject
    MeterRegistry meters;

    @Inject
    RotationLog log;

    @Inject
    CredentialRegistry registry;

    @Inject
    Clock clock;

    @Inject
    OrchestratorConfig config;

    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent event) {
        ReadModelGauges gauges = new ReadModelGauges(meters, log, registry, clock);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rotor-metrics");
            t.setDaemon(true);
            return t;
        });
        long every = config.metrics().refresh().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                gauges.refresh();
            } catch (RuntimeException e) {
                LOG.warnf("refreshing the credential gauges failed: %s", e.toString());
            }
        }, 0, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
