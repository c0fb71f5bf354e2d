package io.rotor.orchestrator.worker;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStalled;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.kit.logging.LogContext;
import io.rotor.orchestrator.registry.RegisteredCredential;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Deadlines and schedules of what one member owns, checked between polls on the member's thread from the persisted
 * saga state and the clock: nothing sleeps on a timer, so a slow credential never holds a partition. What it publishes
 * ({@code RotationStalled}, a scheduled {@code RotationRequested}) takes effect only when the saga reads it back; until
 * then it is remembered, so one overdue rotation is reported once, not at every tick.
 */
final class OwnerTicker {

    private static final Logger LOG = Logger.getLogger(OwnerTicker.class);
    /** Far more than one member has overdue rotations and due schedules between two rebalances. */
    static final int REMEMBERED = 10_000;

    private final WorkerParts parts;
    private final OwnedSagas sagas;
    /** Published and not yet read back (as far as the ticker knows); forgotten on rebalance. */
    private final RecentKeys published = new RecentKeys(REMEMBERED);
    private final Map<CredentialRef, Optional<Instant>> reportedDue = new HashMap<>();
    private final AtomicLong ticks = new AtomicLong();
    private Instant nextTick = Instant.MIN;
    private long lastTickNanos;

    OwnerTicker(WorkerParts parts, OwnedSagas sagas) {
        this.parts = parts;
        this.sagas = sagas;
    }

    /** How many times deadlines and schedules have been checked. */
    long ticks() {
        return ticks.get();
    }

    /**
     * Checks once every tick interval of real time ({@code nanos}), and at once when the clock jumps past the next tick
     * (tests move the clock).
     */
    void maybeTick(long nanos) {
        Instant now = parts.clock().instant();
        if (nanos - lastTickNanos < parts.config().tickInterval().toNanos() && now.isBefore(nextTick)) {
            return;
        }
        lastTickNanos = nanos;
        nextTick = now.plus(parts.config().tickInterval());
        tick(now);
    }

    void tick(Instant now) {
        try {
            for (RotationStalled stalled : parts.stalls().overdue(sagas.all(), now)) {
                publishOnce("stall:" + stalled.rotationId() + ":" + stalled.state(), stalled);
            }
            Collection<RegisteredCredential> mine = parts.registry().all().stream()
                    .filter(c -> sagas.owns(c.ref())).toList();
            for (RotationRequested request : parts.scheduler().due(mine, sagas::orNull, now)) {
                LOG.infof("%s is due; requesting a rotation (%s)", request.credential(), request.requestId());
                publishOnce("schedule:" + request.credential() + ":" + request.requestId(), request);
            }
            for (RegisteredCredential c : mine) {
                Optional<Instant> due = parts.scheduler().nextDue(c, sagas.orNull(c.ref()));
                if (!due.equals(reportedDue.get(c.ref()))) {
                    reportedDue.put(c.ref(), due);
                    parts.status().nextDue(c.ref(), due.orElse(null));
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "checking deadlines and schedules failed; trying again at the next tick");
        }
        ticks.incrementAndGet();
    }

    /** Partitions moved: what was published may now be another member's to read back, and due times to report. */
    void forget() {
        published.clear();
        reportedDue.clear();
    }

    private void publishOnce(String key, RotorEvent event) {
        if (published.contains(key)) {
            return;
        }
        // The context encloses the catch blocks too, so the warning carries the credential.
        try (var ctx = LogContext.of(event.credential(), event.rotationId())) {
            try {
                parts.publisher().publish(event).toCompletableFuture()
                        .get(parts.config().publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
                published.add(key);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warnf("publishing %s failed (%s); trying again at the next tick", event.eventType().ceType(),
                        e.getMessage());
            }
        }
    }
}
