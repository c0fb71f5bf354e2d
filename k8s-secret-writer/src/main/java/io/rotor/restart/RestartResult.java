package io.rotor.restart;

import io.rotor.contracts.credential.WorkloadRef;
import java.time.Duration;
import java.time.Instant;

/**
 * A workload restarted and seen ready.
 *
 * @param strategy   the strategy used ({@code rollout}, {@code delete-pods}, {@code scale-to-zero}), which can differ
 *                   from the one asked for (a DaemonSet cannot scale; an OnDelete set has no rolling update)
 * @param resumed    the restart had been started already (a redelivered event, or a restarter that restarted) and
 *                   was only waited for
 * @param rotations  how many rotations this one restart served
 */
record RestartResult(WorkloadRef ref, String strategy, Instant startedAt, Instant readyAt, boolean resumed,
        int rotations) {

    Duration took() {
        return Duration.between(startedAt, readyAt);
    }

    /** The details entry of WORKLOADS_RESTARTED for this workload. */
    String summary() {
        return "strategy=" + strategy + ";startedAt=" + startedAt + ";readyAt=" + readyAt + ";took=" + took()
                + ";rotations=" + rotations + (resumed ? ";resumed=true" : "");
    }
}
