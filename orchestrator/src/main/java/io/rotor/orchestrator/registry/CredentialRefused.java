package io.rotor.orchestrator.registry;

import io.rotor.contracts.credential.CredentialRef;

/**
 * A generation of a ManagedCredential that will not rotate: invalid, or outside the endpoint policy. Observed by the
 * status reporter, which says so on the resource.
 *
 * @param problems each problem with its spec path, never a value
 */
public record CredentialRefused(CredentialRef ref, long generation, String problems) {
}
