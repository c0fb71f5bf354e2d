package io.rotor.openstack.keystone;

import io.rotor.contracts.sealing.SecretValue;
import java.time.Instant;

/** A new application credential. Keystone shows its secret once, in this answer, and keeps only a hash. */
public record CreatedApplicationCredential(String id, String name, String projectId, SecretValue secret,
        Instant expiresAt) {

    public ApplicationCredentialSecret credential() {
        return new ApplicationCredentialSecret(id, secret);
    }
}
