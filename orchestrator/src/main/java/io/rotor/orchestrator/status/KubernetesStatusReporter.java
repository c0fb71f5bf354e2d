package io.rotor.orchestrator.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.runtime.ShutdownEvent;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.envelope.EventJson;
import io.rotor.kit.retry.Backoff;
import io.rotor.kit.retry.Pause;
import io.rotor.orchestrator.config.OrchestratorConfig;
import io.rotor.orchestrator.registry.CredentialRefused;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.registry.KubernetesCredentialRegistry;
import io.rotor.orchestrator.registry.RegisteredCredential;
import io.rotor.orchestrator.saga.SagaNews;
import io.rotor.orchestrator.saga.SagaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Writes the ManagedCredential's {@code status} (a JSON merge patch of the status subresource, so fields other
 * writers own are kept) and records a Kubernetes Event on it for each outcome. One background thread, in order, a few
 * attempts each for what is worth retrying ({@link KubernetesWrites}): the saga does not wait for the API server, and
 * the status catches up with the next outcome if an update is lost.
 */
@ApplicationScoped
public class KubernetesStatusReporter implements StatusReporter {

    private static final Logger LOG = Logger.getLogger(KubernetesStatusReporter.class);
    static final String IDLE = "Idle";
    static final String INVALID = "Invalid";
    static final String COMPONENT = "rotor-orchestrator";

    private final KubernetesClient client;
    private final CredentialRegistry registry;
    private final OrchestratorConfig.Status config;
    private final Clock clock;
    private final ObjectMapper json = EventJson.newMapper();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rotor-status");
        t.setDaemon(true);
        return t;
    });
    private final String instance = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("orchestrator");
    private final KubernetesWrites writes;

    @Inject
    public KubernetesStatusReporter(KubernetesClient client, CredentialRegistry registry, OrchestratorConfig config,
            Clock clock) {
        this.client = client;
        this.registry = registry;
        this.config = config.status();
        this.clock = clock;
        // The status thread waits out its own pauses: the saga never waits for it.
        this.writes = new KubernetesWrites(retryPolicy(this.config), new SplittableRandom(), Pause.REAL);
    }

    static Backoff retryPolicy(OrchestratorConfig.Status config) {
        // Jitter: many outcomes fail together while the API server is down, and should not all return at once.
        return new Backoff(config.retryBackoff(), 2.0, config.retryBackoffMax(), config.maxAttempts(), 0.2);
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public void report(SagaRecord state, List<SagaNews> news) {
        if (!config.enabled() || state == null || news.isEmpty()) {
            return;
        }
        ObjectNode status = statusOf(state, news.get(news.size() - 1));
        executor.execute(() -> {
            patchStatus(state.credential(), status);
            news.stream().filter(n -> n.kind().recorded()).forEach(this::recordEvent);
        });
    }

    @Override
    public void nextDue(CredentialRef credential, Instant nextDue) {
        if (!config.enabled()) {
            return;
        }
        ObjectNode status = json.createObjectNode();
        if (nextDue == null) {
            status.putNull("nextDue");
        } else {
            status.put("nextDue", nextDue.toString());
        }
        executor.execute(() -> patchStatus(credential, status));
    }

    /** A generation that will not rotate says why on the resource itself (kubectl get mcred shows it). */
    void refused(@Observes CredentialRefused refused) {
        if (!config.enabled()) {
            return;
        }
        ObjectNode status = json.createObjectNode();
        status.put("observedGeneration", refused.generation());
        status.put("phase", INVALID);
        status.put("message", truncate("will not rotate: " + refused.problems(), 1024));
        executor.execute(() -> patchStatus(refused.ref(), status));
    }

    private ObjectNode statusOf(SagaRecord state, SagaNews latest) {
        ObjectNode status = json.createObjectNode();
        Optional<RegisteredCredential> registered = registry.find(state.credential());
        registered.ifPresent(c -> status.put("observedGeneration", c.generation()));
        boolean invalid = registered.map(c -> !c.valid()).orElse(false);
        status.put("phase", state.active() != null ? state.active().state().name() : invalid ? INVALID : IDLE);
        if (state.last() != null) {
            status.put("lastRotationId", state.last().rotationId());
            status.put("lastOutcome", state.last().outcome().name());
            status.put("lastRotationTime", state.last().endedAt().toString());
        }
        if (state.lastSuccess() != null) {
            status.put("lastSuccessTime", state.lastSuccess().toString());
        }
        status.put("message", latest.message());
        return status;
    }

    private void patchStatus(CredentialRef ref, ObjectNode status) {
        ObjectNode body = json.createObjectNode();
        body.set("status", status);
        String patch;
        try {
            patch = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        var resource = client.genericKubernetesResources(KubernetesCredentialRegistry.context())
                .inNamespace(ref.namespace()).withName(ref.name());
        // A merge patch carries no resourceVersion, so a conflict is the server's; reading again confirms the
        // resource is still there before the same patch is sent again.
        writes.write("status of " + ref, () -> resource.subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch), () -> resource.get() != null);
    }

    private void recordEvent(SagaNews news) {
        CredentialRef ref = news.credential();
        Optional<RegisteredCredential> credential = registry.find(ref);
        String reason = reason(news.kind());
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(eventName(ref, news))
                .withNamespace(ref.namespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(ManagedCredentials.API_VERSION)
                        .withKind(ManagedCredentials.KIND)
                        .withNamespace(ref.namespace())
                        .withName(ref.name())
                        .withUid(credential.map(RegisteredCredential::uid).orElse(null))
                        .build())
                .withReason(reason)
                .withMessage(truncate((news.rotationId() == null ? "" : "rotation " + news.rotationId() + ": ")
                        + news.message(), 1024))
                .withType(news.kind().warning() ? "Warning" : "Normal")
                .withAction(news.kind().name())
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent("rotor.io/orchestrator")
                .withReportingInstance(instance)
                .withFirstTimestamp(clock.instant().toString())
                .withLastTimestamp(clock.instant().toString())
                .withCount(1)
                .build();
        writes.write("event " + reason + " on " + ref, () -> {
            try {
                client.v1().events().inNamespace(ref.namespace()).resource(event).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                // Recorded already: the outcome was handled again after a restart.
            }
        }, () -> true);
    }

    static String reason(SagaNews.Kind kind) {
        StringBuilder sb = new StringBuilder("Rotation");
        for (String part : kind.name().toLowerCase(Locale.ROOT).split("_")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }

    /** Unique per rotation and kind, so the same outcome handled twice records one Event. */
    static String eventName(CredentialRef ref, SagaNews news) {
        String base = ref.name().length() > 180 ? ref.name().substring(0, 180) : ref.name();
        String id = news.rotationId() != null ? news.rotationId() : Long.toHexString(System.nanoTime());
        String kind = news.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (news.kind() == SagaNews.Kind.STALLED || news.kind() == SagaNews.Kind.REJECTED) {
            kind = kind + "-" + Long.toHexString(System.currentTimeMillis());
        }
        return base + "." + id + "." + kind;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
