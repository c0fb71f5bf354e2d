package io.rotor.kit.health;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the Kubernetes API server answers {@code GET /version} within a few seconds. That call needs no RBAC
 * (every authenticated identity may make it), so a DOWN here means the API server is unreachable or refuses this
 * service's credentials, not that a role is missing. Every Rotor service reads Secrets or workloads through it.
 */
@Readiness
@ApplicationScoped
public class KubernetesApiCheck implements HealthCheck {

    static final String NAME = "Kubernetes API";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final KubernetesClient client;

    @Inject
    public KubernetesApiCheck(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .withData("server", String.valueOf(client.getMasterUrl()));
        try {
            VersionInfo version = CompletableFuture.supplyAsync(client::getKubernetesVersion)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return response.up().withData("version", version == null ? "unknown" : version.getGitVersion()).build();
        } catch (TimeoutException e) {
            return response.down().withData("error", "no answer to GET /version within " + TIMEOUT).build();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return response.down().withData("error", cause.getClass().getSimpleName() + ": " + cause.getMessage())
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("error", "interrupted").build();
        }
    }
}
