package io.rotor.orchestrator.registry;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.ManagedCredentialStatus;
import io.rotor.contracts.validation.Violation;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One ManagedCredential as the registry last saw it.
 *
 * @param spec     the spec, or null when it does not read or validate ({@code problems} says why)
 * @param problems every violation of the spec, paths starting at {@code spec}
 * @param status   what the orchestrator last wrote, or null
 */
public record RegisteredCredential(CredentialRef ref, String uid, long generation, Instant createdAt,
        ManagedCredentialSpec spec, List<Violation> problems, ManagedCredentialStatus status) {

    public RegisteredCredential {
        problems = List.copyOf(problems);
    }

    public boolean valid() {
        return spec != null && problems.isEmpty();
    }

    /** The problems as one sentence for a rejection or a log line; names fields and rules, never values. */
    public String problemSummary() {
        return problems.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
