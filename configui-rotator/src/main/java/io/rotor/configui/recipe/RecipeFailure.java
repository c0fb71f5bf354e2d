package io.rotor.configui.recipe;

import io.rotor.kit.participant.FailureCode;

/**
 * A recipe that did not get through. The message names the step and what went wrong, never a response body (a
 * portal may echo the submitted form, passwords included).
 */
public class RecipeFailure extends RuntimeException {

    public enum Reason implements FailureCode {
        /** The portal refused the login: the password in the Secret is wrong, or the account is locked. */
        LOGIN_REJECTED("configui_login_rejected", false),
        /** The portal refused the change (current password, its password rules). */
        CHANGE_REJECTED("configui_change_rejected", false),
        /** An expected value (such as a CSRF token) was not in the response: the recipe does not match the portal. */
        EXTRACTION_FAILED("configui_recipe_mismatch", false),
        /** A status the recipe does not expect, 4xx: the recipe or the portal is wrong; retrying will not help. */
        UNEXPECTED_STATUS("configui_unexpected_status", false),
        /** 5xx: the portal is in trouble; worth another try. */
        PORTAL_ERROR("configui_portal_error", true),
        /** No answer, or a broken connection. */
        UNREACHABLE("configui_unreachable", true),
        /** The portal's certificate is not trusted, or its name does not match: configuration, not chance. */
        TLS("configui_tls", false),
        /** The recipe uses a variable nothing defines, or a header or path no request can carry. */
        BAD_RECIPE("configui_bad_recipe", false),
        /**
         * A step's path would leave the portal's origin ({@code //other.host/...}, an absolute URL) or climb out of its
         * path ({@code ..}): refused before any request, so no password goes anywhere but the portal.
         */
        LEAVES_PORTAL("configui_recipe_leaves_portal", false);

        private final String code;
        private final boolean retriable;

        Reason(String code, boolean retriable) {
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

    private final Reason reason;
    private final String step;
    private final boolean inChange;

    public RecipeFailure(Reason reason, String step, String message) {
        this(reason, step, message, false);
    }

    private RecipeFailure(Reason reason, String step, String message, boolean inChange) {
        super("step '" + step + "': " + message);
        this.reason = reason;
        this.step = step;
        this.inChange = inChange;
    }

    /** The same failure, noting that it happened among the change steps. */
    RecipeFailure inChange() {
        RecipeFailure copy = new RecipeFailure(reason, step, getMessage().substring(("step '" + step + "': ").length()),
                true);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /**
     * Whether the portal may have changed the password before the failure: it happened among the change steps and
     * left the outcome open (no answer, a server error, an answer the recipe did not expect).
     */
    public boolean passwordMayHaveChanged() {
        return inChange && (reason == Reason.UNREACHABLE || reason == Reason.PORTAL_ERROR
                || reason == Reason.UNEXPECTED_STATUS);
    }

    public Reason reason() {
        return reason;
    }

    public String step() {
        return step;
    }
}
