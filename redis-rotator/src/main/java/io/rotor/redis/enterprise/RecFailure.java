package io.rotor.redis.enterprise;

import io.rotor.kit.participant.FailureCode;

/** Why a Redis Enterprise step failed; the cluster's own error codes where it has them. */
public enum RecFailure implements FailureCode {
    /** 401 with the current password from the Secret: the Secret and the cluster disagree. Never retried. */
    CURRENT_PASSWORD_REJECTED("current_password_rejected", false),
    /** 401 with the new password (verify, or a revoke authenticating with it). Never retried. */
    NEW_PASSWORD_REJECTED("new_password_rejected", false),
    /** The cluster's complexity rules refused the generated password. */
    PASSWORD_NOT_COMPLEX("password_not_complex", false),
    /** The password being set is already the user's (where that is not simply "already applied"). */
    NEW_PASSWORD_SAME_AS_CURRENT("new_password_same_as_current", false),
    /** The user does not exist on the cluster. */
    USER_NOT_EXIST("user_not_exist", false),
    /** 403: the authenticated user may not do this (not an admin). */
    UNAUTHORIZED_ACTION("unauthorized_action", false),
    /** The cluster will not remove a user's last password. */
    CANNOT_DELETE_LAST_PASSWORD("cannot_delete_last_password", false),
    /**
     * new-identity: the cluster answered 409 ({@code email_already_exists}, {@code name_already_exists}) for a user
     * that is not this rotation's: another user holds the name, or the new password does not open the user.
     */
    USER_ALREADY_EXISTS("user_already_exists", false),
    /** new-identity: the new admin logs in but is not an admin (403 listing users, or no role with management admin). */
    NOT_AN_ADMIN("not_an_admin", false),
    /** new-identity: the cluster has no admin role to give (or {@code redisEnterprise.role} names no admin role). */
    ADMIN_ROLE_NOT_FOUND("admin_role_not_found", false),
    /** new-identity: the RedisEnterpriseCluster resource is missing, or Kubernetes refused the change. */
    CLUSTER_RESOURCE("cluster_resource", false),
    /** new-identity: the Kubernetes API was unavailable while patching the RedisEnterpriseCluster. */
    CLUSTER_RESOURCE_UNAVAILABLE("cluster_resource_unavailable", true),
    /** The TLS handshake failed: the cluster's certificate is not trusted by the CA bundle, or names another host. */
    TLS_UNTRUSTED("tls_untrusted", false),
    /** The cluster did not answer, timed out, or answered 5xx or 429. Retried with backoff. */
    REC_UNAVAILABLE("rec_unavailable", true),
    /** Any other answer the rotator does not expect. */
    UNEXPECTED_RESPONSE("unexpected_response", false);

    private final String code;
    private final boolean retriable;

    RecFailure(String code, boolean retriable) {
        this.code = code;
        this.retriable = retriable;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public boolean retriable() {
        return retriable;
    }
}
