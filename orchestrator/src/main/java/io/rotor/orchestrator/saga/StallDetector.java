package io.rotor.orchestrator.saga;

import io.rotor.contracts.event.RotationStalled;
import io.rotor.contracts.saga.SagaStateMachine;
import io.rotor.contracts.saga.Step;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Finds rotations past their state's deadline that have not been reported stalled yet. Checked on every tick of the
 * owner's loop against the persisted state: nothing waits on a timer, so a restart loses no deadline and a stalled
 * credential never blocks another one on the same partition.
 */
public final class StallDetector {

    private final SagaStateMachine machine;
    private final StepDeadlines deadlines;

    public StallDetector(SagaStateMachine machine, StepDeadlines deadlines) {
        this.machine = machine;
        this.deadlines = deadlines;
    }

    public List<RotationStalled> overdue(Collection<SagaRecord> owned, Instant now) {
        List<RotationStalled> stalled = new ArrayList<>();
        for (SagaRecord record : owned) {
            ActiveRotation a = record.active();
            if (a == null || a.stallReported()) {
                continue;
            }
            Optional<Instant> deadline = deadlines.deadline(a);
            if (deadline.isEmpty() || now.isBefore(deadline.get())) {
                continue;
            }
            Step awaited = machine.awaitedStep(a.spec().strategy(), a.state()).orElse(null);
            stalled.add(new RotationStalled(a.rotationId(), record.credential(), a.state(), awaited, a.stateSince(),
                    deadline.get(), a.lastFailure() == null ? null : a.lastFailure().describe()));
        }
        return stalled;
    }
}
