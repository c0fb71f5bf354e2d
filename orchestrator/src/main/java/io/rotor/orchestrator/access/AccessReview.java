package io.rotor.orchestrator.access;

/** Whether a caller may do something with ManagedCredentials: one by name, or every one in a namespace. */
interface AccessReview {

    /**
     * @param name the credential's name; {@code null} asks about every ManagedCredential in the namespace
     */
    boolean allows(Caller caller, Verb verb, String namespace, String name);
}
