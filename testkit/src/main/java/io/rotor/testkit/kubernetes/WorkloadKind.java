package io.rotor.testkit.kubernetes;

/** The workload kinds the {@link FakeWorkloadController} drives. */
public enum WorkloadKind {
    DEPLOYMENT("Deployment"),
    STATEFUL_SET("StatefulSet"),
    DAEMON_SET("DaemonSet");

    private final String kind;

    WorkloadKind(String kind) {
        this.kind = kind;
    }

    /** The Kubernetes {@code kind}, as in an owner reference. */
    public String kind() {
        return kind;
    }
}
