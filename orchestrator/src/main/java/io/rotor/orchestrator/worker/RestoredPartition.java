package io.rotor.orchestrator.worker;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.orchestrator.saga.SagaRecord;
import java.util.List;
import java.util.Map;

/**
 * What restoring one partition of {@code rotor.state} found: the saga state of each credential, and the records it
 * could not read whose credential now waits for an operator ({@link UnreadableState}).
 */
record RestoredPartition(Map<CredentialRef, SagaRecord> sagas, List<UnreadableState> unreadable) {

    RestoredPartition {
        sagas = Map.copyOf(sagas);
        unreadable = List.copyOf(unreadable);
    }

    static RestoredPartition of(Map<CredentialRef, SagaRecord> sagas) {
        return new RestoredPartition(sagas, List.of());
    }
}
