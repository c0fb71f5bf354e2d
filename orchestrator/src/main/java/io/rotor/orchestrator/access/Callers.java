package io.rotor.orchestrator.access;

import java.util.List;
import java.util.Optional;

/** Who a bearer token belongs to, asking each configured reviewer in turn; nobody's token is refused. */
public final class Callers {

    private final List<TokenReviewer> reviewers;

    Callers(List<TokenReviewer> reviewers) {
        this.reviewers = List.copyOf(reviewers);
    }

    public Caller authenticate(String token) throws TokenRefused {
        if (token == null || token.isBlank()) {
            throw new TokenRefused("the bearer token is empty");
        }
        for (TokenReviewer reviewer : reviewers) {
            Optional<Caller> caller = reviewer.review(token);
            if (caller.isPresent()) {
                return caller.get();
            }
        }
        throw new TokenRefused("the bearer token is not valid");
    }
}
