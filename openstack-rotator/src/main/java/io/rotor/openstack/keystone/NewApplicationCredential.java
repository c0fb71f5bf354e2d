package io.rotor.openstack.keystone;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A request for an application credential.
 *
 * @param roles        role names it may use; empty = every role of the token that creates it
 * @param expiresAt    null = never expires
 * @param unrestricted whether it may itself create and delete application credentials (and trusts); Keystone
 *                     advises against it, but rotating with nothing but the application credential needs it
 */
public record NewApplicationCredential(String name, String description, List<String> roles, Instant expiresAt,
        boolean unrestricted) {

    public NewApplicationCredential {
        Objects.requireNonNull(name, "name");
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
