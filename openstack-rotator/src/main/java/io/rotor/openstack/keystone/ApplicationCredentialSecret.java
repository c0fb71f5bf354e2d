package io.rotor.openstack.keystone;

import io.rotor.contracts.sealing.SecretValue;
import java.util.Objects;

/** What logs in as an application credential: its id and its secret. */
public record ApplicationCredentialSecret(String id, SecretValue secret) {

    public ApplicationCredentialSecret {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secret, "secret");
    }
}
