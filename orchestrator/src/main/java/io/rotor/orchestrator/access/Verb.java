package io.rotor.orchestrator.access;

/**
 * What a caller may do with a ManagedCredential, as RBAC verbs on {@code managedcredentials.rotor.io} in its
 * namespace. {@code rotate} and {@code confirm} are custom verbs: RBAC rules may name any verb, and Rotor's
 * ClusterRoles ({@code rotor-viewer}, {@code rotor-rotator}, {@code rotor-operator} in deploy/) grant them.
 */
public enum Verb {

    /** View the credential and its rotations. */
    GET("get"),
    /** Request a rotation of it, or a dry run. */
    ROTATE("rotate"),
    /** Confirm or cancel a manual rotation of it. */
    CONFIRM("confirm");

    private final String rbacVerb;

    Verb(String rbacVerb) {
        this.rbacVerb = rbacVerb;
    }

    public String rbacVerb() {
        return rbacVerb;
    }
}
