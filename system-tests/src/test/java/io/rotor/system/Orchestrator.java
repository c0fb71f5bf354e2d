package io.rotor.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/** The orchestrator's REST API as a user calls it. */
final class Orchestrator {

    static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "ROLLED_BACK", "CANCELLED", "PLANNED");

    private final int port;
    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    Orchestrator(int port, String token) {
        this.port = port;
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    record Answer(int status, JsonNode body) {
    }

    Answer requestRotation(String credential, boolean dryRun) throws IOException, InterruptedException {
        String body = json.createObjectNode().put("credential", credential).put("dryRun", dryRun)
                .put("requestId", "system-test-" + UUID.randomUUID()).put("requestedBy", "user:system-test")
                .put("reason", "system test").toString();
        return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/rotations"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer confirm(String rotationId, String password) throws IOException, InterruptedException {
        String body = json.createObjectNode().put("password", password).put("confirmedBy", "user:operator").toString();
        return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/rotations/" + rotationId + "/confirm"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer cancel(String rotationId) throws IOException, InterruptedException {
        String body = json.createObjectNode().put("requestedBy", "user:operator").put("reason", "system test").toString();
        return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/rotations/" + rotationId + "/cancel"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The same confirmation with another bearer token. */
    Answer confirmWithToken(String rotationId, String password, String otherToken)
            throws IOException, InterruptedException {
        return new Orchestrator(port, otherToken).confirm(rotationId, password);
    }

    JsonNode rotation(String id) throws IOException, InterruptedException {
        Answer a = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/rotations/" + id)).GET());
        if (a.status() != 200) {
            throw new IllegalStateException("GET rotation " + id + " answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }

    /** Polls until the rotation is in a terminal state (or {@code until}) and returns its detail. */
    JsonNode awaitState(String id, Set<String> states, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = rotation(id);
                if (states.contains(last.path("summary").path("state").asText())) {
                    return last;
                }
            } catch (IllegalStateException notYet) {
                // The read model may not have the rotation yet.
            }
            Thread.sleep(250);
        }
        throw new AssertionError("rotation " + id + " did not reach " + states + " within " + timeout + "; last seen: "
                + last);
    }

    JsonNode credentials() throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/credentials")).GET()).body();
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        return new Answer(response.statusCode(), text == null || text.isBlank() ? null : json.readTree(text));
    }
}
