package io.rotor.contracts.credential;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Workloads Rotor restarts. Jobs and CronJobs are deliberately absent: restarting them would re-run their work. */
public enum WorkloadKind {
    @JsonProperty("Deployment")
    DEPLOYMENT,
    @JsonProperty("StatefulSet")
    STATEFUL_SET,
    @JsonProperty("DaemonSet")
    DAEMON_SET
}
