package io.rotor.orchestrator.access;

import io.quarkus.security.identity.SecurityIdentity;
import io.rotor.contracts.credential.CredentialRef;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the authenticated caller may do with which ManagedCredential. The local stack's operator may do everything;
 * everyone else gets what Kubernetes RBAC grants them in the credential's namespace ({@link KubernetesAccessReview}).
 */
public final class Access {

    /** The {@link SecurityIdentity} attribute that holds the {@link Caller}. */
    public static final String CALLER = "rotor.caller";

    private final AccessReview review;

    Access(AccessReview review) {
        this.review = review;
    }

    /** The caller behind an authenticated request. */
    public static Caller caller(SecurityIdentity identity) {
        Caller caller = identity == null ? null : identity.getAttribute(CALLER);
        if (caller == null) {
            // Unreachable with the HTTP permissions in place: a request without an identity never gets here.
            throw new IllegalStateException("no authenticated caller");
        }
        return caller;
    }

    public boolean may(Caller caller, Verb verb, CredentialRef credential) {
        return caller.source() == Caller.Source.LOCAL_TOKEN
                || review.allows(caller, verb, credential.namespace(), null)
                || review.allows(caller, verb, credential.namespace(), credential.name());
    }

    public void require(Caller caller, Verb verb, CredentialRef credential) {
        if (!may(caller, verb, credential)) {
            throw new NotPermitted(caller, verb, credential);
        }
    }

    /** The verbs beyond viewing the caller holds on a credential, as the dashboard shows them. */
    public List<String> actions(Caller caller, CredentialRef credential) {
        return List.of(Verb.ROTATE, Verb.CONFIRM).stream().filter(v -> may(caller, v, credential))
                .map(Verb::rbacVerb).toList();
    }

    /**
     * Which credentials ({@code namespace/name}) the caller may view, for filtering lists and streams. Each answer
     * comes from the review's short-lived cache, so a long stream follows a revoked binding within that time.
     */
    public Predicate<String> viewable(Caller caller) {
        return credential -> {
            CredentialRef ref;
            try {
                ref = CredentialRef.parse(credential);
            } catch (RuntimeException e) {
                return false;
            }
            return may(caller, Verb.GET, ref);
        };
    }
}
