package io.rotor.orchestrator.access;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who sent a request, as authenticated: a Kubernetes user or ServiceAccount (by {@code TokenReview}), a user of the
 * configured OIDC issuer (names and groups prefixed, as the API server's own OIDC options do), or the local stack's
 * operator (by the local token). Authorization and the audit trail use this identity only; a name a client
 * writes into a body is never taken for it.
 *
 * @param name   the user name the authenticator reported, e.g. {@code system:serviceaccount:ci:deployer}
 * @param uid    the authenticator's uid for the user, when it gave one
 * @param groups the groups the authenticator reported (sent along in every access review)
 * @param source how the identity was established
 */
public record Caller(String name, String uid, List<String> groups, Source source) {

    /** The identity the local token stands for; it may do everything (see {@link AccessReview}). */
    public static final Caller LOCAL_OPERATOR = new Caller("local:operator", null, List.of(), Source.LOCAL_TOKEN);

    /** Events accept an actor of this shape (contracts' rule); other characters are replaced. */
    private static final Pattern NOT_ACTOR = Pattern.compile("[^A-Za-z0-9@._:/-]");
    private static final int MAX_ACTOR = 128;

    public enum Source {
        /** The static token of the local stack ({@code rotor.orchestrator.api.local-token}). */
        LOCAL_TOKEN,
        /** A bearer token the Kubernetes API server vouched for. */
        KUBERNETES,
        /** An access token of the configured OIDC issuer, verified by the OIDC extension. */
        OIDC
    }

    public Caller {
        Objects.requireNonNull(name, "name");
        groups = groups == null ? List.of() : List.copyOf(groups);
        Objects.requireNonNull(source, "source");
    }

    /**
     * The name recorded as {@code requestedBy}/{@code confirmedBy}: the authenticated name, with characters an event's
     * actor field refuses replaced by {@code _} (an OIDC-style name such as {@code https://issuer#sub} keeps its
     * shape) and cut to the field's length.
     */
    public String actor() {
        String actor = NOT_ACTOR.matcher(name).replaceAll("_");
        return actor.isEmpty() ? "_" : actor.length() > MAX_ACTOR ? actor.substring(0, MAX_ACTOR) : actor;
    }
}
