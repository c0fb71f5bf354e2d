package io.rotor.kit.participant;

import io.rotor.contracts.sealing.CredentialMaterial;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link PlatformAdapter#apply} did.
 *
 * @param changed  false when the new value was already in place (a redelivered command): nothing was changed twice
 * @param handOn   the fields the secret writer must write (dual-password: the password; new-identity: username and
 *                 password); fields absent here stay as they are in the Secrets
 * @param previous the value to retire after propagation, or to restore on rollback
 * @param details  facts for the audit trail (nodes, user ids), never secrets
 */
public record Applied(boolean changed, CredentialMaterial handOn, CredentialMaterial previous,
        Map<String, String> details) {

    public Applied {
        Objects.requireNonNull(handOn, "handOn");
        Objects.requireNonNull(previous, "previous");
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
