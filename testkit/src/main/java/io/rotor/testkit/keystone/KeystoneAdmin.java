package io.rotor.testkit.keystone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Test set-up against any {@link Keystone}: users, projects and role grants, as the bootstrap administrator. Not the
 * code under test (that is openstack-rotator's client): deliberately small and independent of it.
 */
public final class KeystoneAdmin {

    /** A user made for one test, with the password it was created with. */
    public record TestUser(String id, String name, String domainId, String password) {
        @Override
        public String toString() {
            return "TestUser[" + name + " " + id + "]";
        }
    }

    private final Keystone keystone;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private String token;

    private KeystoneAdmin(Keystone keystone, SSLContext ssl) {
        this.keystone = keystone;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.http = builder.build();
    }

    public static KeystoneAdmin of(Keystone keystone) {
        return new KeystoneAdmin(keystone, null);
    }

    /** For a fake serving HTTPS: an SSL context that trusts its certificate. */
    public static KeystoneAdmin of(Keystone keystone, SSLContext ssl) {
        return new KeystoneAdmin(keystone, ssl);
    }

    /** A name no other test uses: {@code prefix-<8 hex>}. */
    public String uniqueName(String prefix) {
        byte[] b = new byte[4];
        random.nextBytes(b);
        return prefix + "-" + HexFormat.of().formatHex(b);
    }

    public TestUser createUser(String name, String password) {
        ObjectNode body = json.createObjectNode();
        body.putObject("user").put("name", name).put("domain_id", Keystone.DEFAULT_DOMAIN_ID).put("password", password);
        JsonNode user = call("POST", "/users", body, 201).get("user");
        return new TestUser(user.get("id").asText(), name, Keystone.DEFAULT_DOMAIN_ID, password);
    }

    /** A user with a unique name and the role {@code member} on a project of its own (needed for scoped tokens). */
    public TestUser createUserWithProject(String prefix, String password) {
        TestUser user = createUser(uniqueName(prefix), password);
        String projectId = createProject(user.name());
        grant(user.id(), projectId, "member");
        return user;
    }

    public String createProject(String name) {
        ObjectNode body = json.createObjectNode();
        body.putObject("project").put("name", name).put("domain_id", Keystone.DEFAULT_DOMAIN_ID);
        return call("POST", "/projects", body, 201).get("project").get("id").asText();
    }

    public void grant(String userId, String projectId, String roleName) {
        JsonNode roles = call("GET", "/roles?name=" + URLEncoder.encode(roleName, StandardCharsets.UTF_8), null, 200)
                .get("roles");
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("no role " + roleName);
        }
        call("PUT", "/projects/" + projectId + "/users/" + userId + "/roles/" + roles.get(0).get("id").asText(), null,
                204);
    }

    public Optional<String> findUserId(String name) {
        JsonNode users = call("GET", "/users?domain_id=" + Keystone.DEFAULT_DOMAIN_ID + "&name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8), null, 200).get("users");
        return users.isEmpty() ? Optional.empty() : Optional.of(users.get(0).get("id").asText());
    }

    /** {@code PATCH /v3/users/{id}} with {@code enabled}: a disabled user's right password is answered 401. */
    public void setEnabled(String userId, boolean enabled) {
        ObjectNode body = json.createObjectNode();
        body.putObject("user").put("enabled", enabled);
        call("PATCH", "/users/" + userId, body, 200);
    }

    /**
     * Sets the user option {@code ignore_change_password_upon_first_use}. The administrator needs it before a Keystone
     * is restarted with {@code change_password_upon_first_use}: its bootstrap password would be expired otherwise.
     */
    public void exemptFromFirstUse(String userId) {
        ObjectNode body = json.createObjectNode();
        body.putObject("user").putObject("options").put("ignore_change_password_upon_first_use", true);
        call("PATCH", "/users/" + userId, body, 200);
    }

    /** {@code PATCH /v3/users/{id}} with a password, as an administrator. */
    public void resetPassword(String userId, String password) {
        ObjectNode body = json.createObjectNode();
        body.putObject("user").put("password", password);
        call("PATCH", "/users/" + userId, body, 200);
    }

    public void deleteUser(String userId) {
        call("DELETE", "/users/" + userId, null, 204);
    }

    private JsonNode call(String method, String path, JsonNode body, int expected) {
        HttpResponse<String> response = send(method, path, body, adminToken());
        if (response.statusCode() == 401) {
            token = null;
            response = send(method, path, body, adminToken());
        }
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        try {
            return response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String adminToken() {
        if (token == null) {
            ObjectNode body = json.createObjectNode();
            ObjectNode auth = body.putObject("auth");
            ObjectNode identity = auth.putObject("identity");
            identity.putArray("methods").add("password");
            ObjectNode user = identity.putObject("password").putObject("user");
            user.put("name", Keystone.ADMIN_USER).put("password", keystone.adminPassword());
            user.putObject("domain").put("id", Keystone.DEFAULT_DOMAIN_ID);
            ObjectNode project = auth.putObject("scope").putObject("project");
            project.put("name", Keystone.ADMIN_PROJECT);
            project.putObject("domain").put("id", Keystone.DEFAULT_DOMAIN_ID);
            HttpResponse<String> response = send("POST", "/auth/tokens", body, null);
            if (response.statusCode() != 201) {
                throw new IllegalStateException("the admin cannot log in to " + keystone + ": HTTP "
                        + response.statusCode());
            }
            token = response.headers().firstValue("X-Subject-Token").orElseThrow();
        }
        return token;
    }

    private HttpResponse<String> send(String method, String path, JsonNode body, String authToken) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(keystone.url() + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .header("Content-Type", "application/json").header("Accept", "application/json");
            if (authToken != null) {
                request.header("X-Auth-Token", authToken);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
