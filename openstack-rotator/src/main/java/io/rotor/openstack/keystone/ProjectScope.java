package io.rotor.openstack.keystone;

import java.util.Objects;

/** The project a token is scoped to, by id or by name within a domain. */
public record ProjectScope(String id, String name, DomainSelector domain) {

    public ProjectScope {
        if (id == null && (name == null || domain == null)) {
            throw new IllegalArgumentException("a project is given by id, or by name and domain");
        }
    }

    public static ProjectScope byId(String id) {
        return new ProjectScope(Objects.requireNonNull(id, "id"), null, null);
    }

    public static ProjectScope byName(String name, DomainSelector domain) {
        return new ProjectScope(null, Objects.requireNonNull(name, "name"), Objects.requireNonNull(domain, "domain"));
    }

    @Override
    public String toString() {
        return id != null ? "project " + id : "project " + name + " in " + domain;
    }
}
