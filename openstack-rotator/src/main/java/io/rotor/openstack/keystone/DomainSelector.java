package io.rotor.openstack.keystone;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Keystone domain, by id or by name. Keystone matches domain names case-sensitively: the default domain is id
 * {@code default}, name {@code Default}, and {@code {"name": "default"}} does not find it.
 */
public record DomainSelector(String id, String name) {

    private static final Pattern KEYSTONE_ID = Pattern.compile("[0-9a-f]{32}");

    public static final DomainSelector DEFAULT = byId("default");

    public DomainSelector {
        if ((id == null) == (name == null)) {
            throw new IllegalArgumentException("a domain is given by id or by name, not both or neither");
        }
    }

    public static DomainSelector byId(String id) {
        return new DomainSelector(Objects.requireNonNull(id, "id"), null);
    }

    public static DomainSelector byName(String name) {
        return new DomainSelector(null, Objects.requireNonNull(name, "name"));
    }

    /**
     * How a spec's {@code identity.domain} is read: {@code default} and 32 lower-case hex digits (Keystone's ids) are
     * ids, anything else is a name. A domain whose name looks like an id cannot be named this way; give its id.
     */
    public static DomainSelector parse(String value) {
        Objects.requireNonNull(value, "value");
        return value.equals("default") || KEYSTONE_ID.matcher(value).matches() ? byId(value) : byName(value);
    }

    @Override
    public String toString() {
        return id != null ? "domain id " + id : "domain " + name;
    }
}
