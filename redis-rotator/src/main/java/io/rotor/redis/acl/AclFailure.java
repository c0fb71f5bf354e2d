package io.rotor.redis.acl;

import io.rotor.kit.participant.FailureCode;

/** Why a Redis ACL step failed. */
public enum AclFailure implements FailureCode {
    /** A node did not answer (down, restarting, network): retried; no node is left out of step. */
    NODE_UNREACHABLE("node_unreachable", true),
    /** The TLS handshake with a node failed: its certificate is not trusted by the CA bundle, or names another host. */
    TLS_UNTRUSTED("tls_untrusted", false),
    /** A node answered LOADING, BUSY, MASTERDOWN or TRYAGAIN: retried. */
    NODE_BUSY("node_busy", true),
    /** The admin ACL user's login was refused on a node. */
    ADMIN_LOGIN_REFUSED("admin_login_refused", false),
    /** Logging in as the rotated user with the password from its Secret was refused (no admin configured). */
    CURRENT_PASSWORD_REFUSED("current_password_refused", false),
    /** The new password does not authenticate on a node after it was added. */
    NEW_PASSWORD_REFUSED("new_password_refused", false),
    /** The login user may not run an ACL command (NOPERM). */
    NOT_PERMITTED("acl_not_permitted", false),
    /** The rotated user does not exist on a node. */
    USER_NOT_FOUND("user_not_found", false),
    /** A node has no aclfile (users come from redis.conf or were set at runtime): a change would be lost on restart. */
    ACL_NOT_PERSISTENT("acl_not_persistent", false),
    /** ACL SAVE failed on a node. */
    ACL_SAVE_FAILED("acl_save_failed", false),
    /** A node answered something the rotator does not expect. */
    UNEXPECTED_REPLY("unexpected_reply", false);

    private final String code;
    private final boolean retriable;

    AclFailure(String code, boolean retriable) {
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
