package io.rotor.orchestrator.access;

import java.util.Optional;

/** One way to learn who a bearer token belongs to. */
interface TokenReviewer {

    /**
     * The caller the token belongs to; empty when this reviewer does not know the token (another may); a refusal
     * when this reviewer knows it to be invalid.
     */
    Optional<Caller> review(String token) throws TokenRefused;
}
