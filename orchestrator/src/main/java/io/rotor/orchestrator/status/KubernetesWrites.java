package io.rotor.orchestrator.status;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.kit.retry.Backoff;
import io.rotor.kit.retry.Pause;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * Runs one write to the Kubernetes API, retrying only what another attempt can fix: throttling (429), the API
 * server's own trouble (5xx), no answer at all (connection refused or reset, timeouts), and a conflict (409) after
 * reading the resource again. A refusal (403: RBAC; 422: the write does not fit the schema) or any other 4xx fails
 * at once: it would fail the same way every time. Pauses grow exponentially with jitter, within the attempt bound.
 */
final class KubernetesWrites {

    private static final Logger LOG = Logger.getLogger(KubernetesWrites.class);
    private static final int TOO_MANY_REQUESTS = 429;
    private static final int UNPROCESSABLE = 422;

    /** What a failed write means for the next attempt. */
    enum Failure {
        /** Throttled, the server's trouble, or no answer: the same write may work later. */
        TRANSIENT,
        /** Someone else wrote first: read again, then write. */
        CONFLICT,
        /** The resource is gone: nothing to write any more. */
        GONE,
        /** Refused for good (RBAC, schema, a malformed request): another attempt fails the same way. */
        REFUSED;

        static Failure of(KubernetesClientException e) {
            int code = e.getCode();
            if (code <= 0 || code == TOO_MANY_REQUESTS || code >= 500) {
                // fabric8 reports a write that got no HTTP answer with no code (or -1).
                return TRANSIENT;
            }
            if (code == HttpURLConnection.HTTP_CONFLICT) {
                return CONFLICT;
            }
            if (code == HttpURLConnection.HTTP_NOT_FOUND) {
                return GONE;
            }
            return REFUSED;
        }
    }

    private final Backoff backoff;
    private final RandomGenerator random;
    private final Pause pause;

    KubernetesWrites(Backoff backoff, RandomGenerator random, Pause pause) {
        this.backoff = backoff;
        this.random = random;
        this.pause = pause;
    }

    /**
     * @param what   names the write for the log (a resource and what is written; never a value)
     * @param reRead reads the resource again after a conflict; returns whether it still exists
     * @return whether the write was made
     */
    boolean write(String what, Runnable write, java.util.function.BooleanSupplier reRead) {
        for (int attempt = 1; ; attempt++) {
            Failure failure;
            KubernetesClientException error;
            try {
                write.run();
                return true;
            } catch (KubernetesClientException e) {
                error = e;
                failure = Failure.of(e);
            }
            switch (failure) {
                case GONE -> {
                    LOG.debugf("%s not written: the ManagedCredential is gone", what);
                    return false;
                }
                case REFUSED -> {
                    LOG.errorf("%s refused by the API server (HTTP %d%s): not retried; %s", what, error.getCode(),
                            error.getStatus() == null ? "" : " " + error.getStatus().getReason(),
                            hint(error.getCode()));
                    return false;
                }
                default -> {
                    if (!backoff.allowsAnotherAfter(attempt)) {
                        LOG.warnf("%s not written after %d attempts: %s", what, attempt, error.getMessage());
                        return false;
                    }
                }
            }
            Duration wait = backoff.delayAfter(attempt, random);
            LOG.debugf("%s: attempt %d failed (%s, HTTP %d); retrying in %s", what, attempt, failure, error.getCode(),
                    wait);
            try {
                pause.pause(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (failure == Failure.CONFLICT) {
                try {
                    if (!reRead.getAsBoolean()) {
                        LOG.debugf("%s not written: the ManagedCredential is gone", what);
                        return false;
                    }
                } catch (KubernetesClientException e) {
                    // Reading failed as well; the next write attempt meets the same trouble and is judged on its own.
                    LOG.debugf("%s: re-reading after a conflict failed (HTTP %d)", what, e.getCode());
                }
            }
        }
    }

    private static String hint(int code) {
        if (code == HttpURLConnection.HTTP_FORBIDDEN) {
            return "the orchestrator's Role lacks the permission (see the RBAC table in the orchestrator's README)";
        }
        if (code == UNPROCESSABLE) {
            return "the API server rejects what was written (is the ManagedCredential CRD the version this Rotor "
                    + "expects?)";
        }
        return "the request itself is wrong; another attempt would fail the same way";
    }
}
