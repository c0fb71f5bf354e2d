package io.rotor.openstack.keystone;

/** A user as Keystone describes it (only what Rotor uses). */
public record KeystoneUser(String id, String name, String domainId, boolean enabled) {
}
