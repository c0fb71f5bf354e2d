package io.rotor.orchestrator.registry;

import io.rotor.contracts.credential.CredentialRef;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The ManagedCredentials this orchestrator knows, kept current from the Kubernetes API. */
public interface CredentialRegistry {

    /** Whether ManagedCredentials in {@code namespace} are watched at all. */
    boolean watches(String namespace);

    /** The watched namespaces as configured ({@code *} for all). */
    List<String> namespaces();

    Optional<RegisteredCredential> find(CredentialRef ref);

    Collection<RegisteredCredential> all();

    /**
     * Waits until every watched namespace has been listed once, so that a credential is never called unknown merely
     * because the orchestrator just started.
     *
     * @return whether the registry is synced
     */
    boolean awaitSynced(Duration timeout) throws InterruptedException;

    /** Whether every watched namespace has been listed once. */
    boolean synced();
}
