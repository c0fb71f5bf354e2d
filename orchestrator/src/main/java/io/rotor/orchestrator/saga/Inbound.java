package io.rotor.orchestrator.saga;

import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.RotorEvent;
import java.time.Instant;

/**
 * A valid record and what the owner knows when it handles it.
 *
 * @param state  the credential's saga state, or null when it has none yet
 * @param offset the record's offset in its partition
 * @param time   when the record was written: its {@code ce_time}, else the Kafka timestamp. Saga times come from
 *               here, not from the clock of whichever replica reads it, so every replica computes the same deadlines
 */
public record Inbound(DecodedEvent decoded, SagaRecord state, String topic, int partition, long offset, Instant time) {

    public RotorEvent event() {
        return decoded.event();
    }

    /** Whether the state already includes this record's effect (a redelivery after a crash or a rebalance). */
    public boolean alreadyApplied() {
        return state != null && offset <= state.offsetOf(topic);
    }
}
