package io.rotor.kit.participant;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A platform in memory with passwords per user, a well-behaved adapter for it, and failures on request. */
class InMemoryPlatform implements PlatformAdapter {

    enum Failure implements FailureCode {
        NODE_DOWN("node_down", true),
        REFUSED("refused", false);

        private final String code;
        private final boolean retriable;

        Failure(String code, boolean retriable) {
            this.code = code;
            this.retriable = retriable;
        }

        @Override
        public String code() {
            return code;
        }

        @Override
        public boolean retriable() {
            return retriable;
        }
    }

    private final Map<String, Set<SecretValue>> passwords = new ConcurrentHashMap<>();
    final Deque<PlatformException> applyFailures = new ArrayDeque<>();
    final Deque<PlatformException> verifyFailures = new ArrayDeque<>();
    final Deque<PlatformException> revokeFailures = new ArrayDeque<>();
    /** Apply adds the password, then fails like this (a node that went away mid-way): every time, if set. */
    volatile PlatformException failAfterAdding;
    final AtomicInteger applyCalls = new AtomicInteger();
    final AtomicInteger changes = new AtomicInteger();
    final AtomicInteger removeNewCalls = new AtomicInteger();
    final AtomicInteger revokeCalls = new AtomicInteger();

    void user(String name, String password) {
        Set<SecretValue> set = ConcurrentHashMap.newKeySet();
        set.add(SecretValue.of(password));
        passwords.put(name, set);
    }

    /** Both passwords, as after an apply. */
    void user(String name, String oldPassword, String newPassword) {
        user(name, oldPassword);
        passwords.get(name).add(SecretValue.of(newPassword));
    }

    boolean accepts(String user, String password) {
        return passwords.getOrDefault(user, Set.of()).contains(SecretValue.of(password));
    }

    int passwordCount(String user) {
        return passwords.getOrDefault(user, Set.of()).size();
    }

    @Override
    public Platform platform() {
        return Platform.REDIS_ACL;
    }

    @Override
    public Set<Strategy> strategies() {
        return Set.of(Strategy.DUAL_PASSWORD);
    }

    @Override
    public String endpointKey(ManagedCredentialSpec spec) {
        return String.join(",", spec.endpoint().hostList());
    }

    @Override
    public Applied apply(Rotation r) {
        applyCalls.incrementAndGet();
        awaitGate();
        return applyNow(r);
    }

    /** Apply waits for this latch, if set: a slow platform. */
    volatile java.util.concurrent.CountDownLatch applyGate;

    private void awaitGate() {
        java.util.concurrent.CountDownLatch gate = applyGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized Applied applyNow(Rotation r) {
        throwNext(applyFailures);
        Set<SecretValue> set = set(r);
        boolean added = set.add(r.newPassword());
        if (added) {
            changes.incrementAndGet();
        }
        if (failAfterAdding != null) {
            throw failAfterAdding.afterChange();
        }
        return new Applied(added, CredentialMaterial.password(r.newPassword()),
                CredentialMaterial.password(r.oldPassword()), Map.of("users", "1"));
    }

    @Override
    public void verify(Rotation r) {
        throwNext(verifyFailures);
        if (!set(r).contains(r.newPassword())) {
            throw new PlatformException(Failure.REFUSED, "the new password is refused");
        }
    }

    @Override
    public synchronized Change revoke(Rotation r) {
        revokeCalls.incrementAndGet();
        throwNext(revokeFailures);
        boolean removed = set(r).remove(r.oldPassword());
        if (removed) {
            changes.incrementAndGet();
        }
        return new Change(removed, Map.of());
    }

    @Override
    public synchronized Change removeNew(Rotation r) {
        removeNewCalls.incrementAndGet();
        boolean removed = set(r).remove(r.newPassword());
        if (removed) {
            changes.incrementAndGet();
        }
        return new Change(removed, Map.of());
    }

    private Set<SecretValue> set(Rotation r) {
        String user = r.oldUsername().orElseThrow();
        Set<SecretValue> set = passwords.get(user);
        if (set == null) {
            throw new PlatformException(Failure.REFUSED, "no user " + user);
        }
        return set;
    }

    private static void throwNext(Deque<PlatformException> failures) {
        synchronized (failures) {
            PlatformException next = failures.poll();
            if (next != null) {
                throw next;
            }
        }
    }

    /** Whether every field of the value authenticates. */
    boolean authenticates(String user, CredentialMaterial value) {
        return passwords.getOrDefault(value.get(CredentialField.USERNAME).map(SecretValue::reveal).orElse(user),
                Set.of()).contains(value.require(CredentialField.PASSWORD));
    }

    Set<SecretValue> snapshot(String user) {
        return new HashSet<>(passwords.getOrDefault(user, Set.of()));
    }
}
