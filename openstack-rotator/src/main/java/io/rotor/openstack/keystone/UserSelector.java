package io.rotor.openstack.keystone;

import java.util.Objects;

/** A Keystone user, by id, or by name within a domain (names are unique per domain only). */
public record UserSelector(String id, String name, DomainSelector domain) {

    public UserSelector {
        if (id == null && (name == null || domain == null)) {
            throw new IllegalArgumentException("a user is given by id, or by name and domain");
        }
    }

    public static UserSelector byId(String id) {
        return new UserSelector(Objects.requireNonNull(id, "id"), null, null);
    }

    public static UserSelector byName(String name, DomainSelector domain) {
        return new UserSelector(null, Objects.requireNonNull(name, "name"), Objects.requireNonNull(domain, "domain"));
    }

    @Override
    public String toString() {
        return id != null ? "user " + id : "user " + name + " in " + domain;
    }
}
