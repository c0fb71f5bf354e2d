package io.rotor.testkit.kubernetes;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox's token authenticator: which bearer token belongs to whom. The sandbox answers TokenReviews from it;
 * it does not use it to authenticate requests to its own API (any or no token still works there). Tests may change
 * it at any time, from any thread; a review sees the table as it is when the review arrives.
 *
 * <pre>{@code
 * sandbox.identities()
 *         .add("alice-token", "alice", "rotor-viewers")
 *         .add("bob-token", Identity.user("bob").withUid("u-42"))
 *         .addServiceAccount("ci-token", "team-a", "ci");
 * }</pre>
 */
public final class SandboxIdentities {

    private final Map<String, Identity> byToken = new ConcurrentHashMap<>();

    /** Maps {@code token} to {@code username} in {@code groups}; replaces what the token meant before. */
    public SandboxIdentities add(String token, String username, String... groups) {
        return add(token, Identity.user(username, groups));
    }

    /**
     * Maps {@code token} to {@code identity}, with {@value Identity#AUTHENTICATED} added to its groups as a real API
     * server adds it; replaces what the token meant before.
     */
    public SandboxIdentities add(String token, Identity identity) {
        Objects.requireNonNull(token, "token");
        if (token.isEmpty()) {
            throw new IllegalArgumentException("token must not be empty");
        }
        byToken.put(token, identity.authenticated());
        return this;
    }

    /** Maps {@code token} to the ServiceAccount {@code namespace/name} ({@link Identity#serviceAccount}). */
    public SandboxIdentities addServiceAccount(String token, String namespace, String name) {
        return add(token, Identity.serviceAccount(namespace, name));
    }

    /** Forgets a token: TokenReviews of it fail from now on. Returns whom it belonged to. */
    public Optional<Identity> remove(String token) {
        return Optional.ofNullable(byToken.remove(token));
    }

    public void clear() {
        byToken.clear();
    }

    /** Whom {@code token} belongs to, as a TokenReview would report it; empty for an unknown token. */
    public Optional<Identity> authenticate(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(byToken.get(token));
    }
}
