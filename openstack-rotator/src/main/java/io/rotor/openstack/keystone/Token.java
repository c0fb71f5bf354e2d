package io.rotor.openstack.keystone;

import io.rotor.contracts.sealing.SecretValue;
import java.time.Instant;

/**
 * A Keystone token. Its id is a bearer credential, so it is a {@link SecretValue} and never prints.
 *
 * @param projectId               the project it is scoped to, or null when unscoped
 * @param applicationCredentialId the application credential it was issued for, or null for a password login
 * @param issuedAt                whole seconds: Keystone revokes every token of a user issued in the second of a
 *                                password change or earlier
 */
public record Token(SecretValue id, String userId, String userName, String userDomainId, String projectId,
        String applicationCredentialId, Instant issuedAt, Instant expiresAt) {
}
