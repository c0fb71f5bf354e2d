package io.rotor.orchestrator.worker;

import io.rotor.kit.messaging.InFlightRecords;
import java.util.Set;

/**
 * The member's mark on the record it is handling, held from the first attempt until the record is done with — across
 * every retry and the pauses between them. Retrying one record holds its partition still (records are handled in
 * order), so the kit's liveness check, which watches {@link InFlightRecords}, sees a record retried for long exactly as
 * it sees one handled for long: one detector for both. Used on the member's one thread.
 */
final class RecordMark {

    private final InFlightRecords inFlight;
    private String position;
    private Runnable release;

    RecordMark(InFlightRecords inFlight) {
        this.inFlight = inFlight;
    }

    /** An attempt at the record at {@code position}: a new mark unless the previous attempt was at the same one. */
    void attempt(String position) {
        if (position.equals(this.position)) {
            return;
        }
        release();
        this.release = inFlight.begin(position);
        this.position = position;
    }

    /**
     * After a rebalance: keeps the mark while the record's partition ({@code topic-partition}) is still this member's,
     * so a record retried across rebalances stays stuck since its first attempt; drops it otherwise, or a member left
     * with nothing to read would look stuck on a record another member now handles.
     */
    void keepIfOwned(Set<String> partitions) {
        if (position != null && !partitions.contains(position.substring(0, position.lastIndexOf('@')))) {
            release();
        }
    }

    /** The record is done with, or the member starts over (restart, stop). */
    void release() {
        if (release != null) {
            release.run();
        }
        release = null;
        position = null;
    }
}
