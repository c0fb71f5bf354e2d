package io.rotor.secret;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.k8s.ApiError;
import io.rotor.kit.secret.SecretLayoutException;
import java.util.Locale;

/**
 * Why a Secret (or the Vault path) could not be written or restored. Each reason has a stable error code for
 * {@code StepFailed}; messages name Secrets, keys and HTTP statuses, never values.
 */
public final class WriteFailure extends RuntimeException {

    public enum Reason {
        /** The Secret does not exist and the credential does not say {@code create: true}. */
        SECRET_NOT_FOUND("secret_not_found"),
        /** An existing Secret without the label {@code rotor.io/credential=<name>}: not this credential's to write. */
        SECRET_NOT_OPTED_IN("secret_not_opted_in"),
        /** The ManagedCredential is gone, or changed since the rotation started: nothing is written from it. */
        SPEC_CHANGED("spec_changed"),
        /** A target outside the cluster's endpoint policy (a Vault address the namespace may not use). */
        TARGET_NOT_ALLOWED("target_not_allowed"),
        /** {@code immutable: true}: it cannot be changed in place. */
        SECRET_IMMUTABLE("secret_immutable"),
        /** The content cannot be read or edited in the target's format. */
        SECRET_FORMAT("secret_format"),
        /** The API server refuses the write (validation, admission). */
        SECRET_REJECTED("secret_rejected"),
        /** The writer's ServiceAccount lacks a permission. */
        FORBIDDEN("forbidden"),
        /** Others kept changing the Secret between our read and our write, more times than we retry. */
        CONFLICT_PERSISTS("conflict_persists"),
        /** The API server did not answer within the retry budget. */
        KUBERNETES_UNAVAILABLE("kubernetes_unavailable"),
        /** The sealed value could not be opened (wrong key, tampered, other rotation). */
        SEALING("sealing_failed"),
        /** Rollback: the companion Secret holding the previous value is gone. */
        PREVIOUS_MISSING("previous_missing"),
        /** Vault refused the token or the path. */
        VAULT_FORBIDDEN("vault_forbidden"),
        /** Vault answered with an error no retry fixes. */
        VAULT_REJECTED("vault_rejected"),
        /** Vault did not answer (or was sealed) within the retry budget. */
        VAULT_UNAVAILABLE("vault_unavailable");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public WriteFailure(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public String errorCode() {
        return reason.code();
    }

    static WriteFailure of(SecretLayoutException e, String secret) {
        return new WriteFailure(Reason.SECRET_FORMAT, "Secret " + secret + ": " + e.getMessage() + " ("
                + e.reason().name().toLowerCase(Locale.ROOT) + ")");
    }

    /** A failure the caller did not expect and could not retry its way out of. */
    static WriteFailure of(KubernetesClientException e, String action) {
        return switch (ApiError.of(e)) {
            case FORBIDDEN -> new WriteFailure(Reason.FORBIDDEN, action + " was refused (" + ApiError.describe(e)
                    + "); grant the secret writer's ServiceAccount get, create, update, list and delete on Secrets");
            case REJECTED, ALREADY_EXISTS, NOT_FOUND -> new WriteFailure(Reason.SECRET_REJECTED,
                    action + " was refused by the API server (" + ApiError.describe(e) + ")");
            case CONFLICT -> new WriteFailure(Reason.CONFLICT_PERSISTS, action + " kept conflicting with other writers");
            case UNAVAILABLE -> new WriteFailure(Reason.KUBERNETES_UNAVAILABLE,
                    action + " failed: the API server did not answer (" + ApiError.describe(e) + ")");
        };
    }
}
