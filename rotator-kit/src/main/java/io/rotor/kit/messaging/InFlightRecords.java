package io.rotor.kit.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The records this service has started to handle and not finished, with when each started: a record that stays
 * here too long holds its partition still (records are handled in order), which liveness reports.
 */
@ApplicationScoped
public class InFlightRecords {

    /** A record in progress: its position ({@code topic-partition@offset}) and since when. */
    public record InFlight(String position, Instant since) {
    }

    private final Map<Long, InFlight> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;

    public InFlightRecords() {
        this(Clock.systemUTC());
    }

    public InFlightRecords(Clock clock) {
        this.clock = clock;
    }

    /** Marks a record as in progress; run the returned action when it is done with, however it ended. */
    public Runnable begin(String position) {
        long id = ids.incrementAndGet();
        inFlight.put(id, new InFlight(position, clock.instant()));
        return () -> inFlight.remove(id);
    }

    /** The record in progress the longest, if any. */
    public Optional<InFlight> oldest() {
        return inFlight.values().stream().min(Comparator.comparing(InFlight::since));
    }

    public int size() {
        return inFlight.size();
    }
}
