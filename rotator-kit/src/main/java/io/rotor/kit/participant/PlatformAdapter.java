package io.rotor.kit.participant;

import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.Strategy;
import java.util.Set;

/**
 * What a platform contributes to a rotation: how to apply, verify, revoke and roll back. The runtime does the rest —
 * consuming commands and events, opening and sealing values, reading the current value, idempotency, the durable
 * propagation wait, retries with backoff, concurrency limits, metrics, logging, and the events of the saga.
 *
 * <p>Every operation is blocking, runs on a worker thread, and must be idempotent: Kafka redelivers after a crash,
 * so each may run again after it already succeeded and must then change nothing and report {@code changed = false}.
 * Failures are {@link PlatformException}s with a typed reason; a retriable one is retried with backoff, a permanent
 * one ends the step. {@link PlatformAdapterContract} is the suite every adapter passes.
 */
public interface PlatformAdapter {

    /** The platform this adapter rotates credentials on. */
    Platform platform();

    /** The strategies it implements (a subset of {@link Platform#strategies()}). */
    Set<Strategy> strategies();

    /**
     * A key shared by every credential on one platform endpoint (a cluster URL, a set of nodes): the runtime limits
     * concurrent operations per key, so bulk rotations do not overload one cluster.
     */
    String endpointKey(ManagedCredentialSpec spec);

    /**
     * Makes the new value valid next to the old one (overlap strategies). If the new value already works, changes
     * nothing and returns {@code changed = false}. A failure after a partial change is reported with
     * {@link PlatformException#afterChange()}, so that a step given up is cleaned with {@link #removeNew}.
     */
    Applied apply(Rotation rotation);

    /**
     * Proves the value handed on ({@link Rotation#newValue}) works, by an authenticated call on every node or endpoint
     * that serves it; throws when it does not.
     */
    void verify(Rotation rotation);

    /** Retires the old value ({@link Rotation#oldValue}) after propagation; unchanged when it is already gone. */
    Change revoke(Rotation rotation);

    /**
     * Removes the new value again, leaving the old one as the only valid one: compensation for an apply given up,
     * and the platform's part of a rollback. Unchanged when the new value is not there.
     */
    Change removeNew(Rotation rotation);
}
