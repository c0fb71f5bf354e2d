package io.rotor.kit.participant;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.saga.Step;
import io.rotor.kit.logging.LogContext;

/** Which step of which rotation a piece of work belongs to: for logs (MDC), metrics and the events it ends with. */
record StepScope(String rotationId, CredentialRef credential, Platform platform, Step step) {

    StepScope forStep(Step other) {
        return new StepScope(rotationId, credential, platform, other);
    }

    /** The rotation and credential in the logging context, for a try-with-resources block. */
    LogContext logContext() {
        return LogContext.of(credential, rotationId);
    }

    /** Identifies the work across redeliveries: one rotation's step. */
    String key() {
        return rotationId + "/" + credential + "/" + step;
    }
}
