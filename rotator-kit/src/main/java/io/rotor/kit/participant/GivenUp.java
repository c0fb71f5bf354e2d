package io.rotor.kit.participant;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/** A step's final failure: the last platform failure and how many attempts were made. */
final class GivenUp extends RuntimeException {

    private static final Logger LOG = Logger.getLogger(GivenUp.class);

    private final PlatformException failure;
    private final int attempts;

    GivenUp(PlatformException failure, int attempts) {
        super(failure.getMessage(), failure, false, false);
        this.failure = failure;
        this.attempts = attempts;
    }

    PlatformException failure() {
        return failure;
    }

    int attempts() {
        return attempts;
    }

    /** Unwraps a stage's failure; anything that is not a platform failure is a bug, logged with its stack trace. */
    static GivenUp of(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof GivenUp givenUp) {
            return givenUp;
        }
        return new GivenUp(asPlatformException(t), 1);
    }

    static PlatformException asPlatformException(Throwable t) {
        if (t instanceof PlatformException p) {
            return p;
        }
        LOG.error("unexpected failure in a rotation step", t);
        return new PlatformException(KitFailure.UNEXPECTED, "unexpected " + t.getClass().getSimpleName()
                + " in the rotator; its log has the details", t);
    }
}
