package io.rotor.k8s;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.kit.retry.Backoff;
import io.rotor.kit.retry.BlockingRetries;
import io.rotor.kit.retry.Pause;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Runs Kubernetes API calls, retrying those that failed because the API server was unavailable (no answer, 429, 5xx)
 * under the kit's {@link Backoff}. Every other failure is the caller's to interpret ({@link ApiError}). A call
 * interrupted by a shutdown throws {@link ServiceStopping}, which is not a failure of the step.
 */
public final class ApiCalls {

    private final BlockingRetries retries;

    public ApiCalls(Backoff backoff, Pause pause) {
        // The random only spreads pauses when the backoff has jitter; it decides nothing a test must pin.
        this.retries = new BlockingRetries(backoff, new SplittableRandom(), pause);
    }

    /**
     * @throws KubernetesClientException the last failure, once attempts are exhausted or the failure is not transient
     */
    public <T> T call(String what, Supplier<T> call) {
        try {
            return retries.call(what, () -> {
                try {
                    return call.get();
                } catch (KubernetesClientException e) {
                    // fabric8 reports an interrupted request as a failed call: it is the shutdown, not the server.
                    if (Thread.currentThread().isInterrupted()) {
                        throw new ServiceStopping(what);
                    }
                    throw e;
                }
            }, ApiCalls::isTransient, e -> ApiError.describe((KubernetesClientException) e));
        } catch (InterruptedException e) {
            throw new ServiceStopping(what);
        }
    }

    public void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }

    private static boolean isTransient(RuntimeException e) {
        return e instanceof KubernetesClientException k && ApiError.of(k) == ApiError.UNAVAILABLE;
    }
}
