package io.rotor.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few Keystone v3 calls the system tests make themselves, to look at the platform from outside Rotor. */
final class KeystoneCalls {

    private final URI v3;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    KeystoneCalls(URI v3) {
        this.v3 = v3;
    }

    /** Whether a password login of {@code user} (in the default domain) gets a token. */
    boolean passwordWorks(String user, String password) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        ObjectNode identity = body.putObject("auth").putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode u = identity.putObject("password").putObject("user");
        u.put("name", user).put("password", password).putObject("domain").put("id", "default");
        return post("/auth/tokens", body, null).statusCode() == 201;
    }

    /** Whether an application credential gets a token. */
    boolean applicationCredentialWorks(String id, String secret) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        ObjectNode identity = body.putObject("auth").putObject("identity");
        identity.putArray("methods").add("application_credential");
        identity.putObject("application_credential").put("id", id).put("secret", secret);
        return post("/auth/tokens", body, null).statusCode() == 201;
    }

    /** Creates an application credential of {@code user} (scoped to its project) with a given secret; returns its id. */
    String createApplicationCredential(String userId, String user, String password, String project, String name,
            String secret) throws IOException, InterruptedException {
        ObjectNode login = json.createObjectNode();
        ObjectNode auth = login.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        identity.putObject("password").putObject("user").put("name", user).put("password", password)
                .putObject("domain").put("id", "default");
        auth.putObject("scope").putObject("project").put("name", project).putObject("domain").put("id", "default");
        HttpResponse<String> token = post("/auth/tokens", login, null);
        if (token.statusCode() != 201) {
            throw new IllegalStateException("login of " + user + " answered " + token.statusCode());
        }
        ObjectNode body = json.createObjectNode();
        body.putObject("application_credential").put("name", name).put("secret", secret);
        HttpResponse<String> created = post("/users/" + userId + "/application_credentials", body,
                token.headers().firstValue("X-Subject-Token").orElseThrow());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating an application credential answered " + created.statusCode());
        }
        return json.readTree(created.body()).path("application_credential").path("id").asText();
    }

    private HttpResponse<String> post(String path, ObjectNode body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(v3.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
