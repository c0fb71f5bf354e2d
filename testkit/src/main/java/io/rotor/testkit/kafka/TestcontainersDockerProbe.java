package io.rotor.testkit.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;
import org.testcontainers.DockerClientFactory;

/**
 * Asks Testcontainers whether a Docker engine is reachable, within a time budget.
 *
 * <p>Testcontainers' own discovery (DOCKER_HOST, ~/.testcontainers.properties, the usual sockets, Docker Desktop,
 * rootless) is the authority, so this does not second-guess it. Without an engine it answers in under a second and
 * remembers the answer. But a {@code DOCKER_HOST} naming a host that drops packets can keep it waiting on TCP
 * time-outs; the budget turns that into "no Docker" rather than a stalled test run.
 */
final class TestcontainersDockerProbe implements DockerProbe {

    private static final Logger LOG = Logger.getLogger(TestcontainersDockerProbe.class);

    private final Duration budget;

    TestcontainersDockerProbe(Duration budget) {
        this.budget = budget;
    }

    @Override
    public boolean isDockerAvailable() {
        FutureTask<Boolean> probe = new FutureTask<>(() -> DockerClientFactory.instance().isDockerAvailable());
        Thread thread = new Thread(probe, "rotor-docker-probe");
        // A probe stuck past its budget must not keep the JVM alive at the end of the test run.
        thread.setDaemon(true);
        thread.start();
        try {
            return probe.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("Testcontainers found no Docker engine within %s; taking it as absent", budget);
            return false;
        } catch (ExecutionException e) {
            // LinkageError included: a module that excludes Testcontainers from its test classpath has no Docker.
            LOG.infof("Testcontainers could not look for a Docker engine (%s); taking it as absent", e.getCause());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
