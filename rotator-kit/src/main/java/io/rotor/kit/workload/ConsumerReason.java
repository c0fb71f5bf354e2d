package io.rotor.kit.workload;

/** Why a workload counts as a reader of a credential. */
public enum ConsumerReason {
    /** The ManagedCredential names it under {@code consumers.workloads}. */
    NAMED,
    /** A container takes a variable from one of the Secrets ({@code env[].valueFrom.secretKeyRef}). */
    ENV,
    /** A container takes all variables of one of the Secrets ({@code envFrom[].secretRef}). */
    ENV_FROM,
    /** The pod mounts one of the Secrets ({@code volumes[].secret}). */
    VOLUME,
    /** The pod mounts one of the Secrets through a projected volume ({@code volumes[].projected.sources[].secret}). */
    PROJECTED_VOLUME,
    /** The workload or its pod template opts in with {@code rotor.io/restart-on} naming the credential. */
    ANNOTATION
}
