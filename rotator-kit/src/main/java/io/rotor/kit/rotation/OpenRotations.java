package io.rotor.kit.rotation;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.RotationCancelled;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.RotationFailed;
import io.rotor.contracts.event.RotationRolledBack;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rotations in flight, folded from the orchestrator's outcomes in log order: a {@code RotationStarted} opens one,
 * its completion, failure, roll-back or cancellation closes it for good. A start the orchestrator did not adopt is
 * cancelled by it at once, so it is open only until that record is read. Memory grows with the rotations in flight,
 * not with history.
 */
public final class OpenRotations {

    private final Map<CredentialRef, Map<String, OpenRotation>> open = new ConcurrentHashMap<>();

    public void apply(RotorEvent event, Instant time) {
        if (event instanceof RotationStarted started) {
            open.computeIfAbsent(started.credential(), c -> new ConcurrentHashMap<>())
                    .put(started.rotationId(), OpenRotation.of(started, time));
        } else if (event instanceof RotationCompleted || event instanceof RotationFailed
                || event instanceof RotationRolledBack || event instanceof RotationCancelled) {
            open.computeIfPresent(event.credential(), (c, rotations) -> {
                rotations.remove(event.rotationId());
                return rotations.isEmpty() ? null : rotations;
            });
        }
    }

    public Optional<OpenRotation> find(CredentialRef credential, String rotationId) {
        return Optional.ofNullable(open.get(credential)).map(r -> r.get(rotationId));
    }

    /** How many rotations are open. */
    public int size() {
        return open.values().stream().mapToInt(Map::size).sum();
    }
}
