package io.rotor.kit.participant;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.event.MessageLimit;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SealingException;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.timer.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * APPLY: read the current value, put the new one beside it, prove it works, and hand both on sealed. Each attempt
 * starts over from the Secret and relies on the adapter's idempotency, so a retry or a redelivered command changes
 * nothing twice. A step given up after the platform was touched is cleaned up: the new value is removed again, so
 * the platform is left as it was.
 */
final class ApplyStep {

    private static final Logger LOG = Logger.getLogger(ApplyStep.class);

    private final SealingKeys keys;
    private final CurrentValueReader reader;
    private final Attempts attempts;
    private final Timers timers;
    private final ParticipantMetrics metrics;

    ApplyStep(SealingKeys keys, CurrentValueReader reader, Attempts attempts, Timers timers, ParticipantMetrics metrics) {
        this.keys = keys;
        this.reader = reader;
        this.attempts = attempts;
        this.timers = timers;
        this.metrics = metrics;
    }

    CompletionStage<List<RotorEvent>> run(RotateCredential command, PlatformAdapter adapter) {
        StepScope scope = new StepScope(command.rotationId(), command.credential(), command.spec().platform(),
                Step.PLATFORM_UPDATED);
        Instant started = timers.now();
        CredentialMaterial fresh;
        try {
            fresh = openNewValue(command);
        } catch (PlatformException e) {
            return CompletableFuture.completedFuture(List.of(failed(scope, started, new GivenUp(e, 1), "")));
        }
        Progress progress = new Progress();
        String endpoint = adapter.endpointKey(command.spec());
        return attempts.run(scope, endpoint, true, () -> attemptOnce(command, adapter, fresh, progress))
                .thenApply(applied -> applied.map(a -> List.<RotorEvent>of(completed(scope, started, a, progress)))
                        .orElseGet(List::of))
                .exceptionallyCompose(error -> giveUp(scope, started, endpoint, adapter, progress, GivenUp.of(error)));
    }

    private CredentialMaterial openNewValue(RotateCredential command) {
        if (command.material() == null || command.material().isEmpty()) {
            throw new PlatformException(KitFailure.NEW_VALUE_MISSING, "the command carries no new value; "
                    + command.spec().platform().value() + " credentials are rotated with a value the orchestrator "
                    + "generates");
        }
        try {
            return CredentialMaterial.open(keys.sealerFor(command.spec().platform()), command.material(), command.rotationId(), command.credential(),
                    Purpose.NEW);
        } catch (SealingException e) {
            throw new PlatformException(KitFailure.SEALED_VALUE_UNREADABLE,
                    "the new value in the command cannot be opened: " + e.getMessage());
        }
    }

    /** Empty when the Secret already holds the new value: the rotation went past this step before a redelivery. */
    private Optional<Applied> attemptOnce(RotateCredential command, PlatformAdapter adapter, CredentialMaterial fresh,
            Progress progress) {
        CredentialMaterial current = reader.read(command.credential(), command.spec());
        if (alreadyWritten(fresh, current)) {
            LOG.infof("the Secret of %s already holds the new value of rotation %s: the platform was updated and the "
                    + "secret written before; nothing to do", command.credential(), command.rotationId());
            return Optional.empty();
        }
        Rotation rotation = new Rotation(command.rotationId(), command.credential(), command.spec(), fresh, current);
        progress.rotation = rotation;
        Applied applied;
        try {
            applied = adapter.apply(rotation);
        } catch (PlatformException e) {
            progress.touched |= e.platformMayHaveChanged();
            throw e;
        }
        // From here the new value is on the platform (put there now or by an earlier delivery): giving up must remove it.
        progress.touched = true;
        progress.changed |= applied.changed();
        progress.rotation = rotation.withNewValue(applied.handOn());
        adapter.verify(progress.rotation);
        return Optional.of(applied);
    }

    /** Every secret field of the new value equals the current one (compared in constant time). */
    private static boolean alreadyWritten(CredentialMaterial fresh, CredentialMaterial current) {
        boolean any = false;
        for (Map.Entry<CredentialField, SecretValue> field : fresh.fields().entrySet()) {
            if (!field.getKey().secret()) {
                continue;
            }
            Optional<SecretValue> held = current.get(field.getKey());
            if (held.isEmpty() || !held.get().equals(field.getValue())) {
                return false;
            }
            any = true;
        }
        return any;
    }

    private CompletionStage<List<RotorEvent>> giveUp(StepScope scope, Instant started, String endpoint,
            PlatformAdapter adapter, Progress progress, GivenUp givenUp) {
        if (!progress.touched || progress.rotation == null) {
            return CompletableFuture.completedFuture(List.of(failed(scope, started, givenUp, "")));
        }
        Rotation rotation = progress.rotation;
        try (var ctx = scope.logContext()) {
            LOG.warnf("giving up %s (%s); removing the new value again",
                    scope.step(), givenUp.failure().reason().code());
        }
        return attempts.run(scope, endpoint, false, () -> adapter.removeNew(rotation))
                .handle((change, error) -> {
                    String note = error == null
                            ? " The new value was removed again; the platform is as it was."
                            : " Removing the new value again failed as well (" + GivenUp.of(error).getMessage()
                                    + "): it may still be valid on the platform next to the old one.";
                    return List.<RotorEvent>of(failed(scope, started, givenUp, note));
                });
    }

    private StepCompleted completed(StepScope scope, Instant started, Applied applied, Progress progress) {
        Duration duration = Duration.between(started, timers.now());
        Map<String, String> details = new LinkedHashMap<>(applied.details());
        details.put("changed", Boolean.toString(progress.changed));
        metrics.completed(scope, duration, progress.changed);
        try (var ctx = scope.logContext()) {
            LOG.infof("%s: the new value is on %s and verified (%s)", scope.step(),
                    scope.platform().value(), progress.changed ? "changed" : "was already there");
        }
        return new StepCompleted(scope.rotationId(), scope.credential(), Step.PLATFORM_UPDATED,
                progress.rotation.spec(),
                applied.handOn().seal(keys.sealerFor(scope.platform()), scope.rotationId(), scope.credential(), Purpose.NEW),
                applied.previous().seal(keys.sealerFor(scope.platform()), scope.rotationId(), scope.credential(), Purpose.PREVIOUS),
                details, duration);
    }

    private StepFailed failed(StepScope scope, Instant started, GivenUp givenUp, String note) {
        PlatformException failure = givenUp.failure();
        String message = failure.getMessage() + (failure.retriable()
                ? " (gave up after " + givenUp.attempts() + " attempts)" : "") + (note.isEmpty() ? "" : "." + note);
        metrics.failedFinally(scope, Duration.between(started, timers.now()), failure.reason());
        try (var ctx = scope.logContext()) {
            LOG.errorf("%s failed for good (%s): %s", scope.step(), failure.reason().code(),
                    message);
        }
        return new StepFailed(scope.rotationId(), scope.credential(), scope.step(), failure.reason().code(),
                MessageLimit.apply(message), false, givenUp.attempts(), scope.platform());
    }

    /** What the attempts of one command found out; written by one attempt at a time. */
    private static final class Progress {
        volatile Rotation rotation;
        volatile boolean touched;
        volatile boolean changed;
    }
}
