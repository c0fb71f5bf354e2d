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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rotations in flight, folded from the orchestrator's outcomes in log order: a {@code RotationStarted} opens one,
 * its completion, failure, roll-back or cancellation closes it for good. A start the orchestrator did not adopt is
 * cancelled by it at once, so it is open only until that record is read. An ended rotation never opens again, even if
 * its start is written again later; for that, the ids of ended rotations are kept (a few hundred bytes each: 100,000
 * rotations of history cost some 25 MB).
 */
public final class OpenRotations {

    private final Map<CredentialRef, Map<String, OpenRotation>> open = new ConcurrentHashMap<>();
    /** Every rotation that ended: a copy of its start written again later does not open it again. */
    private final Set<String> ended = ConcurrentHashMap.newKeySet();

    public void apply(RotorEvent event, Instant time) {
        if (event instanceof RotationStarted started) {
            if (ended.contains(key(started.credential(), started.rotationId()))) {
                return;
            }
            open.computeIfAbsent(started.credential(), c -> new ConcurrentHashMap<>())
                    .put(started.rotationId(), OpenRotation.of(started, time));
        } else if (event instanceof RotationCompleted || event instanceof RotationFailed
                || event instanceof RotationRolledBack || event instanceof RotationCancelled) {
            ended.add(key(event.credential(), event.rotationId()));
            open.computeIfPresent(event.credential(), (c, rotations) -> {
                rotations.remove(event.rotationId());
                return rotations.isEmpty() ? null : rotations;
            });
        }
    }

    private static String key(CredentialRef credential, String rotationId) {
        return credential.asString() + "#" + rotationId;
    }

    public Optional<OpenRotation> find(CredentialRef credential, String rotationId) {
        return Optional.ofNullable(open.get(credential)).map(r -> r.get(rotationId));
    }

    /** How many rotations are open. */
    public int size() {
        return open.values().stream().mapToInt(Map::size).sum();
    }
}
