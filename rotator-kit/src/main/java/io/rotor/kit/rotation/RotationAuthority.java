package io.rotor.kit.rotation;

import io.rotor.contracts.credential.CredentialRef;
import java.util.concurrent.CompletionStage;

/**
 * Answers whether a rotation is the one a participant may act for: started by the orchestrator and not yet ended. A
 * command or step of any other rotation — a replay of one that ended, a start the orchestrator cancelled, an id made
 * up — changes nothing.
 */
public interface RotationAuthority {

    /**
     * Completes with the open rotation, or fails with {@link io.rotor.kit.messaging.RecordRefused} ({@code
     * NOT_CURRENT}) when it is not open, or with {@link io.rotor.kit.messaging.HandleLater} when the outcomes
     * cannot be read far enough to tell.
     */
    CompletionStage<OpenRotation> current(CredentialRef credential, String rotationId);
}
