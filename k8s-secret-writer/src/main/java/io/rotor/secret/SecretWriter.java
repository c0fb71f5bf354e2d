package io.rotor.secret;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.MessageLimit;
import io.rotor.contracts.event.RollbackRequested;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepEvent;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.SealingException;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.k8s.ApiCalls;
import io.rotor.kit.credential.ManagedCredentialSource;
import io.rotor.kit.messaging.RecordRefused;
import io.rotor.kit.retry.Pause;
import io.rotor.kit.rotation.OpenRotation;
import io.rotor.kit.rotation.RotationAuthority;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
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

    private final SealingKeys keys;
    private final SecretTargetWriter targets;
    private final VaultSink vault;
    private final Clock clock;
    private final RotationAuthority authority;
    private final ManagedCredentialSource credentials;
    private final EndpointPolicy policy;
    private final ApiCalls api;

    @Inject
    public SecretWriter(SealingKeys keys, KubernetesClient client, WriterConfig config, Clock clock,
            RotationAuthority authority, EndpointPolicy policy) {
        this(keys, client, config, clock, Pause.REAL, authority, policy);
    }

    SecretWriter(SealingKeys keys, KubernetesClient client, WriterConfig config, Clock clock, Pause pause,
            RotationAuthority authority, EndpointPolicy policy) {
        this.keys = keys;
        this.clock = clock;
        this.authority = authority;
        this.policy = policy;
        this.credentials = new ManagedCredentialSource(client);
        this.api = new ApiCalls(config.retry().backoff(), pause);
        this.targets = new SecretTargetWriter(client, api,
                new PreviousVersions(client, api, clock, config.previous().retain()), clock, config.conflictAttempts());
        this.vault = new VaultSink(client, api, config.retry().backoff(), pause, config.vault().timeout());
    }

    /**
     * Acts only for the credential's rotation in flight, and writes where the ManagedCredential as stored in the API
     * says — never where the record says: a replayed or forged record is refused (to the DLQ), and a spec changed since
     * the rotation started fails the step without writing anything.
     */
    public CompletionStage<List<RotorEvent>> handle(DecodedEvent decoded) {
        RotorEvent event = decoded.event();
        if (event instanceof StepCompleted completed && completed.step() == Step.PLATFORM_UPDATED) {
            return answer(completed, completed.spec(), Step.SECRET_WRITTEN,
                    () -> write(completed, targetSpec(completed, Step.SECRET_WRITTEN)));
        }
        if (event instanceof RollbackRequested rollback) {
            return answer(rollback, rollback.spec(), Step.SECRET_RESTORED,
                    () -> restore(rollback, targetSpec(rollback, Step.SECRET_RESTORED)));
        }
        return CompletableFuture.completedFuture(List.of());
    }

    /** A refused record fails the stage (to the DLQ); a spec that cannot be acted on fails the step instead. */
    private static CompletionStage<List<RotorEvent>> answer(StepEvent event, ManagedCredentialSpec recorded, Step step,
            Supplier<RotorEvent> work) {
        try {
            return CompletableFuture.completedFuture(List.of(work.get()));
        } catch (WriteFailure failure) {
            return CompletableFuture.completedFuture(List.of(failed(event.rotationId(), event.credential(), step,
                    recorded, failure, List.of())));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The spec to act on, from the Kubernetes API.
     *
     * @throws RecordRefused for a rotation not in flight, or a record whose spec is not the rotation's
     * @throws WriteFailure  when the ManagedCredential changed, or a target lies outside the endpoint policy
     */
    private ManagedCredentialSpec targetSpec(StepEvent event, Step step) {
        OpenRotation open = join(authority.current(event.credential(), event.rotationId()));
        ManagedCredentialSpec recorded = event instanceof StepCompleted c ? c.spec() : ((RollbackRequested) event).spec();
        if (!SpecDigest.of(recorded).equals(open.specDigest())) {
            throw new RecordRefused(RecordRefused.Reason.SPEC_MISMATCH, "the " + step + " record's spec for rotation "
                    + event.rotationId() + " of " + event.credential() + " is not the one it started with");
        }
        ManagedCredentialSpec spec;
        try {
            spec = api.call("reading ManagedCredential " + event.credential(), () -> credentials.specOf(open));
        } catch (ManagedCredentialSource.SpecChanged e) {
            throw new WriteFailure(WriteFailure.Reason.SPEC_CHANGED, e.getMessage());
        } catch (KubernetesClientException e) {
            throw WriteFailure.of(e, "reading ManagedCredential " + event.credential());
        }
        if (spec.vault() != null) {
            policy.checkUrl(event.credential().namespace(), EndpointPolicy.VAULT, spec.vault().address())
                    .ifPresent(why -> {
                        throw new WriteFailure(WriteFailure.Reason.TARGET_NOT_ALLOWED, "spec.vault.address " + why);
                    });
        }
        return spec;
    }

    private static OpenRotation join(CompletionStage<OpenRotation> answer) {
        try {
            return answer.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    RotorEvent write(StepCompleted event, ManagedCredentialSpec spec) {
        Instant start = clock.instant();
        Map<CredentialField, SecretValue> fields;
        try {
            fields = open(event.rotationId(), event.credential(), spec, event.material());
        } catch (WriteFailure failure) {
            return failed(event.rotationId(), event.credential(), Step.SECRET_WRITTEN, spec, failure, List.of());
        }
        Map<String, String> details = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        try {
            for (SecretTarget target : spec.secretList()) {
                SecretTargetWriter.Result result = targets.write(event.credential(), target, fields,
                        event.rotationId());
                record(details, result);
                done.add(target.name());
            }
            if (spec.vault() != null) {
                record(details, vault.write(event.credential().namespace(), spec.vault(), fields));
                done.add("vault:" + spec.vault().path());
            }
        } catch (WriteFailure failure) {
            return failed(event.rotationId(), event.credential(), Step.SECRET_WRITTEN, spec, failure, done);
        } finally {
            fields.values().forEach(SecretValue::destroy);
        }
        details.put("writtenAt", clock.instant().toString());
        LOG.infof("wrote %d Secret(s) for rotation %s", done.size(), event.rotationId());
        return new StepCompleted(event.rotationId(), event.credential(), Step.SECRET_WRITTEN, spec,
                event.material(), event.previous(), details, Duration.between(start, clock.instant()));
    }

    RotorEvent restore(RollbackRequested event, ManagedCredentialSpec spec) {
        Instant start = clock.instant();
        Map<String, String> details = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        try {
            for (SecretTarget target : spec.secretList()) {
                record(details, targets.restore(event.credential(), target, event.rotationId()));
                done.add(target.name());
            }
            if (spec.vault() != null) {
                Map<CredentialField, SecretValue> fields = open(event.rotationId(), event.credential(), spec,
                        event.material());
                try {
                    record(details, vault.restore(event.credential().namespace(), spec.vault(), fields));
                } finally {
                    fields.values().forEach(SecretValue::destroy);
                }
                done.add("vault:" + spec.vault().path());
            }
        } catch (WriteFailure failure) {
            return failed(event.rotationId(), event.credential(), Step.SECRET_RESTORED, spec, failure, done);
        }
        details.put("restoredAt", clock.instant().toString());
        LOG.infof("restored %d Secret(s) after rotation %s was rolled back", done.size(), event.rotationId());
        return new StepCompleted(event.rotationId(), event.credential(), Step.SECRET_RESTORED, spec,
                event.material(), event.previous(), details, Duration.between(start, clock.instant()));
    }

    private Map<CredentialField, SecretValue> open(String rotationId, CredentialRef credential,
            ManagedCredentialSpec spec, Map<String, SealedValue> material) {
        try {
            return CredentialMaterial.open(keys.sealerFor(spec.platform()), material, rotationId, credential,
                    CredentialMaterial.Purpose.NEW).fields();
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

    private static StepFailed failed(String rotationId, CredentialRef credential, Step step,
            ManagedCredentialSpec spec, WriteFailure failure, List<String> done) {
        String message = failure.getMessage() + (done.isEmpty() ? "" : " (done before the failure: " + done + ")");
        LOG.errorf("%s failed: %s", step, message);
        return new StepFailed(rotationId, credential, step, failure.errorCode(),
                MessageLimit.apply(message), false, 1, spec.platform());
    }
}
