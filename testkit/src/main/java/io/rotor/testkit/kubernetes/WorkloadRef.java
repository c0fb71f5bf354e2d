package io.rotor.testkit.kubernetes;

import java.util.Objects;

/** Names one workload: kind, namespace and name. */
public record WorkloadRef(WorkloadKind kind, String namespace, String name) {

    public WorkloadRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    public static WorkloadRef deployment(String namespace, String name) {
        return new WorkloadRef(WorkloadKind.DEPLOYMENT, namespace, name);
    }

    public static WorkloadRef statefulSet(String namespace, String name) {
        return new WorkloadRef(WorkloadKind.STATEFUL_SET, namespace, name);
    }

    public static WorkloadRef daemonSet(String namespace, String name) {
        return new WorkloadRef(WorkloadKind.DAEMON_SET, namespace, name);
    }

    @Override
    public String toString() {
        return kind.kind() + " " + namespace + "/" + name;
    }
}
