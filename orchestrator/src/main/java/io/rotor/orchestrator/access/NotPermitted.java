package io.rotor.orchestrator.access;

import io.rotor.contracts.credential.CredentialRef;

/** The caller may not do this with this credential; the API answers 403 and says which ClusterRole grants it. */
public class NotPermitted extends RuntimeException {

    public NotPermitted(Caller caller, Verb verb, CredentialRef credential) {
        super(caller.name() + " may not " + verb.rbacVerb() + " ManagedCredential " + credential.asString()
                + " (" + hint(verb) + " in namespace " + credential.namespace() + ")", null, false, false);
    }

    private static String hint(Verb verb) {
        return switch (verb) {
            case GET -> "needs get on managedcredentials.rotor.io, e.g. ClusterRole rotor-viewer bound";
            case ROTATE -> "needs the verb rotate on managedcredentials.rotor.io, e.g. ClusterRole rotor-rotator bound";
            case CONFIRM -> "needs the verb confirm on managedcredentials.rotor.io, e.g. ClusterRole rotor-operator "
                    + "bound";
        };
    }
}
