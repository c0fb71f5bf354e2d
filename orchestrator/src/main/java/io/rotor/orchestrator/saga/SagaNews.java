package io.rotor.orchestrator.saga;

import io.rotor.contracts.credential.CredentialRef;

/**
 * Something worth telling the ManagedCredential about (its status, and a Kubernetes Event): what happened, to which
 * rotation, in a sentence.
 */
public record SagaNews(CredentialRef credential, Kind kind, String rotationId, String message) {

    public enum Kind {
        STARTED(false),
        AWAITING_OPERATOR(false),
        PROGRESSED(false),
        STALLED(true),
        ROLLING_BACK(true),
        COMPLETED(false),
        FAILED(true),
        ROLLED_BACK(true),
        CANCELLED(false),
        REJECTED(true);

        private final boolean warning;

        Kind(boolean warning) {
            this.warning = warning;
        }

        public boolean warning() {
            return warning;
        }

        /** Whether a Kubernetes Event is recorded for it; step progress only updates the status. */
        public boolean recorded() {
            return this != PROGRESSED;
        }
    }
}
