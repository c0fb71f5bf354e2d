package io.rotor.kit.participant;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.saga.Step;

/** Which step of which rotation a piece of work belongs to: for logs (MDC), metrics and the events it ends with. */
record StepScope(String rotationId, CredentialRef credential, Platform platform, Step step) {

    StepScope forStep(Step other) {
        return new StepScope(rotationId, credential, platform, other);
    }

    /** Identifies the work across redeliveries: one rotation's step. */
    String key() {
        return rotationId + "/" + credential + "/" + step;
    }
}
