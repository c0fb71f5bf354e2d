package io.rotor.configui.recipe;

/**
 * A recipe that did not get through. The message names the step and what went wrong, never a response body (a
 * portal may echo the submitted form, passwords included).
 */
public class RecipeFailure extends RuntimeException {

    public enum Reason {
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
        /** The recipe uses a variable nothing defines. */
        BAD_RECIPE("configui_bad_recipe", false);

        private final String code;
        private final boolean retriable;

        Reason(String code, boolean retriable) {
            this.code = code;
            this.retriable = retriable;
        }

        public String code() {
            return code;
        }

        public boolean retriable() {
            return retriable;
        }
    }

    private final Reason reason;
    private final String step;

    public RecipeFailure(Reason reason, String step, String message) {
        super("step '" + step + "': " + message);
        this.reason = reason;
        this.step = step;
    }

    public Reason reason() {
        return reason;
    }

    public String step() {
        return step;
    }
}
