package io.rotor.orchestrator.support;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.registry.RegisteredCredential;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** ManagedCredentials for unit tests, without the Kubernetes API; watches {@code shop} unless told otherwise. */
public final class MemoryRegistry implements CredentialRegistry {

    private final Map<CredentialRef, RegisteredCredential> credentials = new LinkedHashMap<>();
    private Set<String> watched = Set.of("shop");
    private boolean synced = true;

    public void put(RegisteredCredential credential) {
        credentials.put(credential.ref(), credential);
    }

    public void watchOnly(String... namespaces) {
        watched = Set.of(namespaces);
    }

    /** False: as before the first listing, which requests must wait for. */
    public void synced(boolean listed) {
        synced = listed;
    }

    @Override
    public boolean watches(String namespace) {
        return watched.contains(namespace);
    }

    @Override
    public List<String> namespaces() {
        return List.copyOf(watched);
    }

    @Override
    public Optional<RegisteredCredential> find(CredentialRef ref) {
        return Optional.ofNullable(credentials.get(ref));
    }

    @Override
    public Collection<RegisteredCredential> all() {
        return credentials.values();
    }

    @Override
    public boolean awaitSynced(Duration timeout) {
        return synced;
    }

    @Override
    public boolean synced() {
        return synced;
    }
}
