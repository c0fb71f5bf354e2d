package io.rotor.orchestrator.schedule;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.ConflictPolicy;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.orchestrator.registry.RegisteredCredential;
import io.rotor.orchestrator.saga.SagaRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Decides which of the credentials a replica owns are due. The request it makes has a request id derived from the due
 * time ({@code scheduled-<epoch seconds>}), so should two replicas ever both ask (a rebalance in between), the second
 * is a repeated request id and starts nothing.
 */
public final class RotationScheduler {

    private static final Logger LOG = Logger.getLogger(RotationScheduler.class);

    private final ScheduleCalculator calculator;

    public RotationScheduler(ScheduleCalculator calculator) {
        this.calculator = calculator;
    }

    /** When the credential is next due, or empty if it has no (usable) schedule. */
    public Optional<Instant> nextDue(RegisteredCredential credential, SagaRecord state) {
        if (!credential.valid() || credential.spec().schedule() == null) {
            return Optional.empty();
        }
        Instant baseline = baseline(credential, state);
        if (baseline == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(calculator.nextDue(credential.spec().schedule(), baseline));
        } catch (IllegalArgumentException e) {
            LOG.warnf("schedule of %s cannot be used: %s", credential.ref(), e.getMessage());
            return Optional.empty();
        }
    }

    public List<RotationRequested> due(Collection<RegisteredCredential> owned,
            Function<CredentialRef, SagaRecord> states, Instant now) {
        List<RotationRequested> requests = new ArrayList<>();
        for (RegisteredCredential credential : owned) {
            SagaRecord state = states.apply(credential.ref());
            if (state != null && state.inFlightRotationId().isPresent()) {
                continue;
            }
            Optional<Instant> due = nextDue(credential, state);
            if (due.isEmpty() || now.isBefore(due.get())) {
                continue;
            }
            String requestId = requestId(due.get());
            if (state != null && state.answered(requestId).isPresent()) {
                continue;
            }
            requests.add(new RotationRequested(requestId, credential.ref(), "scheduled: due at " + due.get(), false,
                    RotationRequested.SCHEDULER, ConflictPolicy.COALESCE));
        }
        return requests;
    }

    public static String requestId(Instant due) {
        return "scheduled-" + due.getEpochSecond();
    }

    /** The last rotation's start; for a credential never rotated by this Rotor, its status, else its creation. */
    private static Instant baseline(RegisteredCredential credential, SagaRecord state) {
        if (state != null && state.lastAttempt().isPresent()) {
            return state.lastAttempt().get();
        }
        if (credential.status() != null && credential.status().lastRotationTime() != null) {
            return credential.status().lastRotationTime();
        }
        return credential.createdAt();
    }
}
