package io.rotor.orchestrator.worker;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.orchestrator.saga.SagaRecord;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one member owns: the partitions it was assigned and the saga state of their credentials, as last persisted.
 * Written only by the member's thread (the loop on rebalance, the handler after a state is acknowledged); read also by
 * the API and health threads, hence the concurrent collections.
 */
final class OwnedSagas {

    private final Map<CredentialRef, SagaRecord> sagas = new ConcurrentHashMap<>();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    /** Credentials whose latest saga state could not be read: nothing of them is acted on. */
    private final Map<CredentialRef, UnreadableState> unreadable = new ConcurrentHashMap<>();
    private volatile CredentialPartitions partitions;

    /** The partition layout, known once the member has checked the topics. */
    void layout(CredentialPartitions layout) {
        this.partitions = layout;
    }

    int partitionOf(CredentialRef ref) {
        return partitions.of(ref);
    }

    boolean owns(CredentialRef ref) {
        CredentialPartitions p = partitions;
        return p != null && owned.contains(p.of(ref));
    }

    Set<Integer> partitions() {
        return Set.copyOf(owned);
    }

    Optional<SagaRecord> get(CredentialRef ref) {
        return Optional.ofNullable(sagas.get(ref));
    }

    /** Null when the credential has no saga yet: what the saga's plain logic expects. */
    SagaRecord orNull(CredentialRef ref) {
        return sagas.get(ref);
    }

    Collection<SagaRecord> all() {
        return sagas.values();
    }

    /** Set when the credential's latest {@code rotor.state} record could not be read. */
    Optional<UnreadableState> unreadable(CredentialRef ref) {
        return Optional.ofNullable(unreadable.get(ref));
    }

    /** A state Kafka acknowledged: from now on it is what the member decides from. */
    void persisted(SagaRecord state) {
        sagas.put(state.credential(), state);
        unreadable.remove(state.credential());
    }

    /** Takes a partition with the states restored from {@code rotor.state}; returns how many are in flight. */
    long adopt(int partition, RestoredPartition restored) {
        restored.sagas().values().stream().filter(s -> s.partition() == partition).forEach(this::persisted);
        restored.unreadable().stream().filter(u -> u.credential() != null)
                .forEach(u -> unreadable.put(u.credential(), u));
        owned.add(partition);
        return restored.sagas().values().stream().filter(s -> s.partition() == partition && s.active() != null)
                .count();
    }

    void forget(int partition) {
        owned.remove(partition);
        sagas.values().removeIf(s -> s.partition() == partition);
        unreadable.values().removeIf(u -> u.record().partition() == partition);
    }

    void clear() {
        sagas.clear();
        owned.clear();
        unreadable.clear();
    }
}
