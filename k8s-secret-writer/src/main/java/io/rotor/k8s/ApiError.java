package io.rotor.k8s;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** What a failed Kubernetes API call means for the caller: retry now, retry later, or give up with a reason. */
public enum ApiError {
    /** 409 on an update: someone else changed the object since it was read. Read again and redo the change. */
    CONFLICT,
    /** 409 on a create. */
    ALREADY_EXISTS,
    NOT_FOUND,
    /** 401/403: the ServiceAccount lacks a permission (RBAC), which no retry fixes. */
    FORBIDDEN,
    /** 400/422: the server refuses the object (an immutable Secret, a field it validates). */
    REJECTED,
    /** No answer, 429 or 5xx: the API server is busy or away. Retry with backoff. */
    UNAVAILABLE;

    public static ApiError of(KubernetesClientException e) {
        int code = e.getCode();
        if (code == 409) {
            return e.getStatus() != null && "AlreadyExists".equals(e.getStatus().getReason()) ? ALREADY_EXISTS : CONFLICT;
        }
        if (code == 404) {
            return NOT_FOUND;
        }
        if (code == 401 || code == 403) {
            return FORBIDDEN;
        }
        if (code == 400 || code == 422 || code == 405 || code == 415) {
            return REJECTED;
        }
        return UNAVAILABLE;
    }

    /** The server's own short reason, for messages: never the object, which may hold a secret. */
    public static String describe(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : null;
        String summary = "HTTP " + e.getCode() + (message == null ? "" : ": " + message);
        return summary.length() > 300 ? summary.substring(0, 300) + "..." : summary;
    }
}
