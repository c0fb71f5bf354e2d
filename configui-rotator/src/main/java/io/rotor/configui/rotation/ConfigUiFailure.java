package io.rotor.configui.rotation;

import io.rotor.kit.participant.FailureCode;

/**
 * Why a Config UI step failed, beyond what the recipe itself reports ({@link io.rotor.configui.recipe.RecipeFailure
 * .Reason}); none is retried.
 */
public enum ConfigUiFailure implements FailureCode {
    /** The portal refuses the current password from the Secret, and the new one is not in place either. */
    CURRENT_PASSWORD_REFUSED("configui_current_password_refused"),
    /** The new password (or the operator's confirmed one) does not log in. */
    NEW_PASSWORD_REFUSED("configui_new_password_refused"),
    /** The Secret holds no current password, which the recipe needs to log in. */
    CURRENT_VALUE_MISSING("configui_current_value_missing"),
    /** Strategy replace without {@code configUi.portalUrl} and {@code configUi.recipe}. */
    PORTAL_NOT_CONFIGURED("configui_portal_not_configured"),
    /** Putting the previous password back found neither the new nor the previous one working. */
    NEITHER_PASSWORD_WORKS("configui_neither_password_works");

    private final String code;

    ConfigUiFailure(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public boolean retriable() {
        return false;
    }
}
