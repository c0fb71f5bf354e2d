package io.rotor.k8s;

/**
 * The service is shutting down and interrupted a wait: the work is not failed, only unfinished. No answer may be
 * published for it; its record stays unacknowledged and comes again to the next instance, which resumes.
 */
public final class ServiceStopping extends RuntimeException {

    public ServiceStopping(String what) {
        super(what + ": interrupted because the service is stopping; the record will be redelivered");
    }
}
