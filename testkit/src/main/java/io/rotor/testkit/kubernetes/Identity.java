package io.rotor.testkit.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who a bearer token belongs to, as an API server's authenticator reports it in a TokenReview's
 * {@code status.user}: user name, uid ({@code ""} when there is none) and groups.
 */
public record Identity(String username, String uid, List<String> groups) {

    /** The group a real API server adds to every authenticated user. */
    public static final String AUTHENTICATED = "system:authenticated";

    public Identity {
        Objects.requireNonNull(username, "username");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("username must not be empty");
        }
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups);
    }

    public static Identity user(String username, String... groups) {
        return new Identity(username, "", List.of(groups));
    }

    /**
     * What the ServiceAccount token authenticator makes of a token of {@code namespace/name}: user
     * {@code system:serviceaccount:NS:NAME} in groups {@code system:serviceaccounts},
     * {@code system:serviceaccounts:NS} and {@value #AUTHENTICATED}.
     */
    public static Identity serviceAccount(String namespace, String name) {
        if (namespace == null || namespace.isEmpty() || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a ServiceAccount needs a namespace and a name");
        }
        return new Identity(serviceAccountUsername(namespace, name), "",
                List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, AUTHENTICATED));
    }

    /** The user name RBAC compares a ServiceAccount subject with. */
    public static String serviceAccountUsername(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    public Identity withUid(String uid) {
        return new Identity(username, uid, groups);
    }

    /** This identity as an API server reports it: {@value #AUTHENTICATED} among the groups. */
    public Identity authenticated() {
        if (groups.contains(AUTHENTICATED)) {
            return this;
        }
        List<String> withAuthenticated = new ArrayList<>(groups);
        withAuthenticated.add(AUTHENTICATED);
        return new Identity(username, uid, withAuthenticated);
    }
}
