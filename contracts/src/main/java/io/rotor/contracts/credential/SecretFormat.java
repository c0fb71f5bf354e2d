package io.rotor.contracts.credential;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a credential is laid out inside a Secret. */
public enum SecretFormat {
    /** Credential fields stored under named data keys ({@code username}, {@code password}, {@code .mlc_password}). */
    @JsonProperty("keys")
    KEYS,
    /** An OpenStack clouds.yaml: only the named cloud's auth changes; every other cloud and key is kept. */
    @JsonProperty("clouds-yaml")
    CLOUDS_YAML,
    /** A shell openrc file: {@code OS_PASSWORD} (or application-credential variables) change, the rest is kept. */
    @JsonProperty("openrc")
    OPENRC,
    /** A user template rendered with the credential's fields. */
    @JsonProperty("template")
    TEMPLATE
}
