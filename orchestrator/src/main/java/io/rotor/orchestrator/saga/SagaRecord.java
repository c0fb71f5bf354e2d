package io.rotor.orchestrator.saga;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.RotationOutcomeKind;
import io.rotor.contracts.event.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One credential's saga state: the value of its record in the compacted {@code rotor.state} topic. Restoring the
 * latest record per credential and continuing from the offsets it names is all a replica needs to resume exactly.
 *
 * @param partition      the partition of {@code rotor.requests}, {@code rotor.events} and {@code rotor.state} this
 *                       credential's records live in
 * @param requestsOffset the last {@code rotor.requests} record whose effect this state includes (-1 for none); a
 *                       redelivered record at or below it is skipped
 * @param eventsOffset   the same for {@code rotor.events}
 * @param active         the rotation in flight, or null
 * @param pending        a start published but not yet read back, or null
 * @param last           the last rotation that ended, or null
 * @param lastSuccess    when the credential last changed for good
 * @param requests       the last answered request ids, oldest first
 * @param stepOffsets    the same as {@code eventsOffset} for each {@code rotor.steps.*} topic
 */
public record SagaRecord(int schema, CredentialRef credential, int partition, long requestsOffset, long eventsOffset,
        ActiveRotation active, PendingStart pending, FinishedRotation last, Instant lastSuccess,
        List<AnsweredRequest> requests, Map<String, Long> stepOffsets) {

    public static final int SCHEMA = 1;

    public SagaRecord {
        requests = requests == null ? List.of() : List.copyOf(requests);
        // Absent in records written before steps had topics of their own.
        stepOffsets = stepOffsets == null ? Map.of() : Map.copyOf(stepOffsets);
    }

    public static SagaRecord empty(CredentialRef credential, int partition) {
        return new SagaRecord(SCHEMA, credential, partition, -1, -1, null, null, null, null, List.of(), Map.of());
    }

    /** The rotation a new request would join: the active one, else one this owner just started. */
    public Optional<String> inFlightRotationId() {
        if (active != null) {
            return Optional.of(active.rotationId());
        }
        return pending == null ? Optional.empty() : Optional.of(pending.rotationId());
    }

    public Optional<AnsweredRequest> answered(String requestId) {
        for (int i = requests.size() - 1; i >= 0; i--) {
            if (requests.get(i).requestId().equals(requestId)) {
                return Optional.of(requests.get(i));
            }
        }
        return Optional.empty();
    }

    public SagaRecord withAnswer(AnsweredRequest answer, int keep) {
        List<AnsweredRequest> all = new ArrayList<>(requests.size() + 1);
        for (AnsweredRequest r : requests) {
            if (!r.requestId().equals(answer.requestId())) {
                all.add(r);
            }
        }
        all.add(answer);
        while (all.size() > Math.max(1, keep)) {
            all.remove(0);
        }
        return new SagaRecord(schema, credential, partition, requestsOffset, eventsOffset, active, pending, last,
                lastSuccess, all, stepOffsets);
    }

    public SagaRecord withRequestsOffset(long offset) {
        return new SagaRecord(schema, credential, partition, Math.max(requestsOffset, offset), eventsOffset, active,
                pending, last, lastSuccess, requests, stepOffsets);
    }

    public SagaRecord withEventsOffset(long offset) {
        return new SagaRecord(schema, credential, partition, requestsOffset, Math.max(eventsOffset, offset), active,
                pending, last, lastSuccess, requests, stepOffsets);
    }

    /** The state including the record at {@code offset} of {@code topic} (events or a steps topic). */
    public SagaRecord withOffset(String topic, long offset) {
        if (Topics.EVENTS.equals(topic)) {
            return withEventsOffset(offset);
        }
        if (Topics.REQUESTS.equals(topic)) {
            return withRequestsOffset(offset);
        }
        Map<String, Long> offsets = new TreeMap<>(stepOffsets);
        offsets.merge(topic, offset, Math::max);
        return new SagaRecord(schema, credential, partition, requestsOffset, eventsOffset, active, pending, last,
                lastSuccess, requests, offsets);
    }

    /** The last offset of {@code topic} whose effect this state includes, -1 for none. */
    public long offsetOf(String topic) {
        if (Topics.EVENTS.equals(topic)) {
            return eventsOffset;
        }
        if (Topics.REQUESTS.equals(topic)) {
            return requestsOffset;
        }
        return stepOffsets.getOrDefault(topic, -1L);
    }

    public SagaRecord withActive(ActiveRotation rotation) {
        return new SagaRecord(schema, credential, partition, requestsOffset, eventsOffset, rotation, pending, last,
                lastSuccess, requests, stepOffsets);
    }

    public SagaRecord withPending(PendingStart start) {
        return new SagaRecord(schema, credential, partition, requestsOffset, eventsOffset, active, start, last,
                lastSuccess, requests, stepOffsets);
    }

    /** Ends the active rotation: its sealed values are dropped, only the summary stays. */
    public SagaRecord finished(FinishedRotation finished) {
        Instant success = finished.outcome() == RotationOutcomeKind.COMPLETED ? finished.endedAt() : lastSuccess;
        return new SagaRecord(schema, credential, partition, requestsOffset, eventsOffset, null, pending, finished,
                success, requests, stepOffsets);
    }

    /** When the last rotation (of any outcome) began; schedules count from here. */
    public Optional<Instant> lastAttempt() {
        if (active != null) {
            return Optional.of(active.startedAt());
        }
        return last == null ? Optional.empty() : Optional.ofNullable(last.startedAt());
    }
}
