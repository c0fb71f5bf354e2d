package io.rotor.redis;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.kit.messaging.RecordRefused;
import io.rotor.kit.rotation.OpenRotation;
import io.rotor.kit.rotation.OpenRotations;
import io.rotor.kit.rotation.RotationAuthority;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The orchestrator's outcomes as a test writes them, folded as the kit's follower folds {@code rotor.events}: a
 * participant acts only for a rotation started here and not ended.
 */
public final class StartedRotations implements RotationAuthority {

    private final OpenRotations open = new OpenRotations();

    /** The start the orchestrator would write for this rotation of this spec. */
    public static RotationStarted started(String rotationId, CredentialRef ref, ManagedCredentialSpec spec) {
        return new RotationStarted(rotationId, ref, "req-" + rotationId, "test", null, spec, Map.of(), 1,
                SpecDigest.of(spec));
    }

    public void start(String rotationId, CredentialRef ref, ManagedCredentialSpec spec) {
        open.apply(started(rotationId, ref, spec), Instant.EPOCH);
    }

    public void end(String rotationId, CredentialRef ref) {
        open.apply(new RotationCompleted(rotationId, ref, Map.of(), Duration.ZERO), Instant.EPOCH);
    }

    @Override
    public CompletionStage<OpenRotation> current(CredentialRef credential, String rotationId) {
        return open.find(credential, rotationId).map(CompletableFuture::completedFuture)
                .orElseGet(() -> CompletableFuture.failedFuture(new RecordRefused(RecordRefused.Reason.NOT_CURRENT,
                        "rotation " + rotationId + " is not in flight for " + credential)));
    }
}
