package io.rotor.contracts.credential;

/** Names of the ManagedCredential custom resource and the annotations Rotor reads and writes. */
public final class ManagedCredentials {

    public static final String GROUP = "rotor.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String KIND = "ManagedCredential";
    public static final String PLURAL = "managedcredentials";
    public static final String SINGULAR = "managedcredential";
    public static final String CRD_NAME = PLURAL + "." + GROUP;

    /** On a workload: the credential names (comma-separated) whose rotation restarts it. */
    public static final String RESTART_ANNOTATION = "rotor.io/restart-on";
    /**
     * On a Secret: the ManagedCredential (its name, in the Secret's namespace) allowed to read and write it. Rotor writes
     * an existing Secret, and reads a current value from it, only when it carries this label naming the credential;
     * Secrets it creates get it.
     */
    public static final String CREDENTIAL_LABEL = "rotor.io/credential";
    /** On a written Secret: the rotation that wrote it. */
    public static final String ROTATION_ANNOTATION = "rotor.io/rotation-id";
    /** On a written Secret: when it was written (RFC 3339). */
    public static final String ROTATED_AT_ANNOTATION = "rotor.io/rotated-at";
    /** On a written Secret: the companion Secret that keeps the previous value for rollback. */
    public static final String PREVIOUS_ANNOTATION = "rotor.io/previous-version";

    private ManagedCredentials() {
    }
}
