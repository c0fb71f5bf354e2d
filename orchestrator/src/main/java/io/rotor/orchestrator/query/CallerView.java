package io.rotor.orchestrator.query;

import java.util.List;

/**
 * The caller as the API sees it.
 *
 * @param name   as the authenticator reported it
 * @param actor  as recorded in events ({@code requestedBy}, {@code confirmedBy}, {@code cancelledBy})
 * @param source {@code KUBERNETES} (TokenReview) or {@code LOCAL_TOKEN} (the local stack)
 */
public record CallerView(String name, String actor, List<String> groups, String source) {
}
