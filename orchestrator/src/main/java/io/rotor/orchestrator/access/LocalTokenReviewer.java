package io.rotor.orchestrator.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The local stack's static token: whoever presents it is {@link Caller#LOCAL_OPERATOR}. Only for a laptop or a test,
 * where there is no API server to ask; on a cluster it is not set (deploy/ sets none). The comparison takes the same
 * time however much of a guess is right.
 */
final class LocalTokenReviewer implements TokenReviewer {

    private final byte[] token;

    LocalTokenReviewer(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the local token must not be blank");
        }
        this.token = token.trim().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<Caller> review(String presented) {
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))
                ? Optional.of(Caller.LOCAL_OPERATOR) : Optional.empty();
    }
}
