package io.rotor.orchestrator.worker;

import io.rotor.kit.messaging.InFlightRecords;

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

    /** The record is done with, or it is no longer this member's to retry (rebalance, restart, stop). */
    void release() {
        if (release != null) {
            release.run();
        }
        release = null;
        position = null;
    }
}
