package io.rotor.k8s;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs Kubernetes API calls, retrying those that failed because the API server was unavailable (no answer, 429, 5xx)
 * with bounded backoff. Every other failure is the caller's to interpret ({@link ApiError}). A call interrupted by a
 * shutdown throws {@link ServiceStopping}, which is not a failure of the step.
 */
public final class ApiCalls {

    private static final Logger LOG = Logger.getLogger(ApiCalls.class);

    private final Backoff backoff;
    private final Pause pause;

    public ApiCalls(Backoff backoff, Pause pause) {
        this.backoff = backoff;
        this.pause = pause;
    }

    /**
     * @throws KubernetesClientException the last failure, once attempts are exhausted or the failure is not transient
     */
    public <T> T call(String what, Supplier<T> call) {
        for (int attempt = 1;; attempt++) {
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new ServiceStopping(what);
                }
                if (ApiError.of(e) != ApiError.UNAVAILABLE || backoff.exhausted(attempt)) {
                    throw e;
                }
                LOG.warnf("%s failed (%s), attempt %d of %d; retrying in %s", what, ApiError.describe(e), attempt,
                        backoff.maxAttempts(), backoff.delayAfter(attempt));
                try {
                    pause.pause(backoff.delayAfter(attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ServiceStopping(what);
                }
            }
        }
    }

    public void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }
}
