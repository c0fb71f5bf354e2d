package io.rotor.orchestrator.access;

/** A bearer token that names nobody: unknown, expired, revoked, or for another audience. Never carries the token. */
public class TokenRefused extends Exception {

    public TokenRefused(String reason) {
        super(reason, null, false, false);
    }
}
