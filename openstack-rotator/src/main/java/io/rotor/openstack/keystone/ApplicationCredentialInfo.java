package io.rotor.openstack.keystone;

import java.time.Instant;

/** An application credential as listed: no secret (Keystone has only its hash). */
public record ApplicationCredentialInfo(String id, String name, String projectId, Instant expiresAt,
        boolean unrestricted) {
}
