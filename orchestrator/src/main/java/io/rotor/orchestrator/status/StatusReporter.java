package io.rotor.orchestrator.status;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.orchestrator.saga.SagaNews;
import io.rotor.orchestrator.saga.SagaRecord;
import java.time.Instant;
import java.util.List;

/**
 * Tells the ManagedCredential what happened. Called after the saga state is persisted; implementations must not
 * block the caller, and a failure here never holds up a rotation.
 */
public interface StatusReporter {

    void report(SagaRecord state, List<SagaNews> news);

    /** The credential's next due time changed (null: no schedule). */
    void nextDue(CredentialRef credential, Instant nextDue);

    StatusReporter NONE = new StatusReporter() {
        @Override
        public void report(SagaRecord state, List<SagaNews> news) {
        }

        @Override
        public void nextDue(CredentialRef credential, Instant nextDue) {
        }
    };
}
