package io.rotor.openstack.keystone;

import io.rotor.contracts.sealing.SecretValue;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A request for an application credential.
 *
 * @param secret       the secret to create it with (Rotor's orchestrator generates and seals it before anything
 *                     changes, so a crash cannot lose it); null lets Keystone generate one, shown only in its answer
 * @param roles        role names it may use; empty = every role of the token that creates it
 * @param expiresAt    null = never expires
 * @param unrestricted whether it may itself create and delete application credentials (and trusts); Keystone
 *                     advises against it, but rotating with nothing but the application credential needs it
 */
public record NewApplicationCredential(String name, String description, SecretValue secret, List<String> roles,
        Instant expiresAt, boolean unrestricted) {

    public NewApplicationCredential {
        Objects.requireNonNull(name, "name");
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
