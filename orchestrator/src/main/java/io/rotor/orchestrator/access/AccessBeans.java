package io.rotor.orchestrator.access;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.rotor.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** Builds the authenticator and the access rules from configuration. */
public class AccessBeans {

    private static final Logger LOG = Logger.getLogger(AccessBeans.class);
    private static final int MAX_CACHED = 10_000;

    @Produces
    @Singleton
    Callers callers(OrchestratorConfig config, KubernetesClient client, Clock clock) {
        OrchestratorConfig.Api api = config.api();
        List<TokenReviewer> reviewers = new ArrayList<>();
        api.localToken().filter(t -> !t.isBlank()).ifPresent(t -> {
            LOG.warn("rotor.orchestrator.api.local-token is set: whoever holds it may view, rotate and confirm "
                    + "everything. It is meant for the local stack only; on a cluster use Kubernetes tokens.");
            reviewers.add(new LocalTokenReviewer(t));
        });
        if (api.kubernetesAuth().enabled()) {
            reviewers.add(KubernetesTokenReviewer.create(client, api.kubernetesAuth().audiences().orElse(List.of()),
                    api.kubernetesAuth().cacheTtl(), clock));
        }
        if (reviewers.isEmpty()) {
            LOG.warn("neither a local token nor Kubernetes authentication is configured: the API answers 401 to "
                    + "every call");
        }
        return new Callers(reviewers);
    }

    @Produces
    @Singleton
    Access access(OrchestratorConfig config, KubernetesClient client, Clock clock) {
        return new Access(new KubernetesAccessReview(client,
                new ShortCache<>(config.api().kubernetesAuth().cacheTtl(), MAX_CACHED, clock)));
    }
}
