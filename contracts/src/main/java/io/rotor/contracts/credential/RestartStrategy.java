package io.rotor.contracts.credential;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How consumers are restarted after their Secret changed. */
public enum RestartStrategy {
    /** A rolling restart through a pod-template annotation, as {@code kubectl rollout restart} does. */
    @JsonProperty("rollout")
    ROLLOUT,
    /** Delete the pods and let their controller recreate them. */
    @JsonProperty("delete-pods")
    DELETE_PODS,
    /** Scale to zero, wait until every pod is gone, scale back to the former replica count. */
    @JsonProperty("scale-to-zero")
    SCALE_TO_ZERO
}
