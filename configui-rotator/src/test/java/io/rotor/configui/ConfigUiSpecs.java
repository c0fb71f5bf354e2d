package io.rotor.configui;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.envelope.EventJson;
import io.rotor.contracts.validation.Validator;

/** Config UI credentials as users write them, with the recipe for the fake portal's pages. */
public final class ConfigUiSpecs {

    public static final String CSRF_REGEX = "name=\\\"_csrf\\\" value=\\\"([0-9a-f]+)\\\"";

    /** The login and change steps for FakeConfigUiPortal; {@code csrf} is the value the forms send as _csrf. */
    public static String recipe(String csrf) {
        return """
                {"login": [
                   {"name": "login-page", "method": "GET", "path": "/login", "expectStatus": [200],
                    "extract": [{"name": "csrf", "from": "body", "regex": "%1$s"}]},
                   {"name": "login", "method": "POST", "path": "/login",
                    "form": {"username": "{{username}}", "password": "{{password}}", "_csrf": "%2$s"},
                    "expectStatus": [302], "failIfBodyContains": "Invalid username or password"}],
                 "change": [
                   {"name": "change-page", "method": "GET", "path": "/admin/password", "expectStatus": [200],
                    "extract": [{"name": "csrf", "from": "body", "regex": "%1$s"}]},
                   {"name": "change", "method": "POST", "path": "/admin/password",
                    "form": {"currentPassword": "{{currentPassword}}", "newPassword": "{{newPassword}}",
                             "_csrf": "{{csrf}}"},
                    "expectStatus": [200], "successIfBodyContains": "Password changed"}]}""".formatted(CSRF_REGEX, csrf);
    }

    public static String goodRecipe() {
        return recipe("{{csrf}}");
    }

    /** @param recipe null for none; {@code endpoint} a JSON object or null */
    public static ManagedCredentialSpec spec(String strategy, String portalUrl, String recipe, String endpoint) {
        String configUi = portalUrl == null ? "{\"adminUser\": \"administrator\"}"
                : "{\"portalUrl\": \"" + portalUrl + "\", \"adminUser\": \"administrator\""
                        + (recipe == null ? "" : ", \"recipe\": " + recipe) + "}";
        return read("""
                {"platform": "configui", "strategy": "%s", %s
                 "identity": {"username": "administrator"},
                 "secrets": [{"name": "configui-user-secrets", "format": "keys", "keys": {"password": ".mlc_password"}}],
                 "consumers": {"workloads": [{"kind": "Deployment", "name": "configui-deploy"}],
                               "restartStrategy": "delete-pods"},
                 "configUi": %s}""".formatted(strategy, endpoint == null ? "" : "\"endpoint\": " + endpoint + ",",
                configUi));
    }

    public static ManagedCredentialSpec read(String json) {
        try {
            return Validator.requireValid(EventJson.newMapper().readValue(json, ManagedCredentialSpec.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ConfigUiSpecs() {
    }
}
