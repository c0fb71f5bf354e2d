package io.rotor.restart;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.k8s.ApiError;

/** Why a workload could not be restarted and seen ready. Each reason has a stable error code for StepFailed. */
public final class RestartFailure extends RuntimeException {

    public enum Reason {
        /** A workload the credential names does not exist. */
        WORKLOAD_NOT_FOUND("workload_not_found"),
        /** The workload was deleted while it was being restarted. */
        WORKLOAD_GONE("workload_gone"),
        /** The Deployment controller gave up: {@code Progressing=False, reason ProgressDeadlineExceeded}. */
        PROGRESS_DEADLINE_EXCEEDED("progress_deadline_exceeded"),
        /** Not ready within {@code consumers.rolloutTimeout}. */
        ROLLOUT_TIMEOUT("rollout_timeout"),
        /** The restarter's ServiceAccount lacks a permission. */
        FORBIDDEN("forbidden"),
        /** The API server refused a change (validation, admission). */
        REJECTED("restart_rejected"),
        /** The API server did not answer within the retry budget. */
        KUBERNETES_UNAVAILABLE("kubernetes_unavailable");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public RestartFailure(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static RestartFailure of(KubernetesClientException e, String action) {
        return switch (ApiError.of(e)) {
            case FORBIDDEN -> new RestartFailure(Reason.FORBIDDEN, action + " was refused (" + ApiError.describe(e)
                    + "); grant the pod restarter's ServiceAccount the verbs listed in the README");
            case NOT_FOUND -> new RestartFailure(Reason.WORKLOAD_GONE, action + ": the object is gone ("
                    + ApiError.describe(e) + ")");
            case UNAVAILABLE -> new RestartFailure(Reason.KUBERNETES_UNAVAILABLE, action
                    + " failed: the API server did not answer (" + ApiError.describe(e) + ")");
            case CONFLICT, ALREADY_EXISTS, REJECTED -> new RestartFailure(Reason.REJECTED,
                    action + " was refused (" + ApiError.describe(e) + ")");
        };
    }
}
