package io.rotor.secret;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.RollbackRequested;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.Sealer;
import io.rotor.contracts.sealing.SealingException;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.k8s.ApiCalls;
import io.rotor.k8s.Pause;
import io.rotor.secret.vault.VaultSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The secret writer's logic. On {@code StepCompleted(PLATFORM_UPDATED)} it opens the new value and writes it into
 * every Secret the credential lists, each in its format, then answers {@code StepCompleted(SECRET_WRITTEN)} with the
 * Secrets' new resourceVersions (spec, material and previous forwarded unchanged). On {@code RollbackRequested} it
 * restores what the rotation wrote and answers {@code StepCompleted(SECRET_RESTORED)}. A failure that retrying within
 * the budget did not fix is answered with a final {@code StepFailed}.
 *
 * <p>Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class SecretWriter {

    private static final Logger LOG = Logger.getLogger(SecretWriter.class);

    private final Sealer sealer;
    private final SecretTargetWriter targets;
    private final VaultSink vault;
    private final Clock clock;

    @Inject
    public SecretWriter(Sealer sealer, KubernetesClient client, WriterConfig config, Clock clock) {
        this(sealer, client, config, clock, Pause.REAL);
    }

    SecretWriter(Sealer sealer, KubernetesClient client, WriterConfig config, Clock clock, Pause pause) {
        this.sealer = sealer;
        this.clock = clock;
        ApiCalls api = new ApiCalls(config.retry().backoff(), pause);
        this.targets = new SecretTargetWriter(client, api,
                new PreviousVersions(client, api, clock, config.previous().retain()), clock, config.conflictAttempts());
        this.vault = new VaultSink(client, api, config.retry().backoff(), pause, config.vault().timeout());
    }

    public CompletionStage<List<RotorEvent>> handle(DecodedEvent decoded) {
        RotorEvent event = decoded.event();
        if (event instanceof StepCompleted completed && completed.step() == Step.PLATFORM_UPDATED) {
            return CompletableFuture.completedFuture(List.of(write(completed)));
        }
        if (event instanceof RollbackRequested rollback) {
            return CompletableFuture.completedFuture(List.of(restore(rollback)));
        }
        return CompletableFuture.completedFuture(List.of());
    }

    RotorEvent write(StepCompleted event) {
        Instant start = clock.instant();
        Map<CredentialField, SecretValue> fields;
        try {
            fields = open(event.rotationId(), event.credential(), event.material());
        } catch (WriteFailure failure) {
            return failed(event.rotationId(), event.credential(), Step.SECRET_WRITTEN, failure, List.of());
        }
        Map<String, String> details = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        try {
            for (SecretTarget target : event.spec().secretList()) {
                SecretTargetWriter.Result result = targets.write(event.credential().namespace(), target, fields,
                        event.rotationId());
                record(details, result);
                done.add(target.name());
            }
            if (event.spec().vault() != null) {
                record(details, vault.write(event.credential().namespace(), event.spec().vault(), fields));
                done.add("vault:" + event.spec().vault().path());
            }
        } catch (WriteFailure failure) {
            return failed(event.rotationId(), event.credential(), Step.SECRET_WRITTEN, failure, done);
        } finally {
            fields.values().forEach(SecretValue::destroy);
        }
        details.put("writtenAt", clock.instant().toString());
        LOG.infof("wrote %d Secret(s) for rotation %s", done.size(), event.rotationId());
        return new StepCompleted(event.rotationId(), event.credential(), Step.SECRET_WRITTEN, event.spec(),
                event.material(), event.previous(), details, Duration.between(start, clock.instant()));
    }

    RotorEvent restore(RollbackRequested event) {
        Instant start = clock.instant();
        ManagedCredentialSpec spec = event.spec();
        Map<String, String> details = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        try {
            for (SecretTarget target : spec.secretList()) {
                record(details, targets.restore(event.credential().namespace(), target, event.rotationId()));
                done.add(target.name());
            }
            if (spec.vault() != null) {
                Map<CredentialField, SecretValue> fields = open(event.rotationId(), event.credential(), event.material());
                try {
                    record(details, vault.restore(event.credential().namespace(), spec.vault(), fields));
                } finally {
                    fields.values().forEach(SecretValue::destroy);
                }
                done.add("vault:" + spec.vault().path());
            }
        } catch (WriteFailure failure) {
            return failed(event.rotationId(), event.credential(), Step.SECRET_RESTORED, failure, done);
        }
        details.put("restoredAt", clock.instant().toString());
        LOG.infof("restored %d Secret(s) after rotation %s was rolled back", done.size(), event.rotationId());
        return new StepCompleted(event.rotationId(), event.credential(), Step.SECRET_RESTORED, spec,
                event.material(), event.previous(), details, Duration.between(start, clock.instant()));
    }

    private Map<CredentialField, SecretValue> open(String rotationId, CredentialRef credential,
            Map<String, SealedValue> material) {
        try {
            return CredentialMaterial.open(sealer, material, rotationId, credential, CredentialMaterial.Purpose.NEW)
                    .fields();
        } catch (SealingException e) {
            throw new WriteFailure(WriteFailure.Reason.SEALING, "the new value cannot be opened: " + e.getMessage());
        }
    }

    private static void record(Map<String, String> details, VaultSink.Result result) {
        String key = "vault/" + result.path();
        details.put(key, Integer.toString(result.version()));
        details.put(key + ".outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT));
    }

    private static void record(Map<String, String> details, SecretTargetWriter.Result result) {
        String key = "secret/" + result.secret();
        if (result.resourceVersion() != null) {
            details.put(key, result.resourceVersion());
        }
        details.put(key + ".outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT));
        if (result.previous() != null) {
            details.put(key + ".previous", result.previous());
        }
    }

    private static StepFailed failed(String rotationId, CredentialRef credential, Step step, WriteFailure failure,
            List<String> done) {
        String message = failure.getMessage() + (done.isEmpty() ? "" : " (done before the failure: " + done + ")");
        LOG.errorf("%s failed: %s", step, message);
        return new StepFailed(rotationId, credential, step, failure.errorCode(),
                message.length() > 4000 ? message.substring(0, 4000) + "..." : message, false, 1);
    }
}
