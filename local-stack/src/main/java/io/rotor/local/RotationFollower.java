package io.rotor.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/** Requests a rotation through the orchestrator's REST API and prints its timeline as it happens. */
final class RotationFollower {

    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "ROLLED_BACK", "CANCELLED");

    private final String base;
    private final String token;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    RotationFollower(int port, String token, PrintStream out) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
        this.out = out;
    }

    String request(String credential) throws IOException, InterruptedException {
        String body = json.createObjectNode().put("credential", credential)
                .put("reason", "the local stack's demo rotation").put("requestId", "local-demo-" + UUID.randomUUID())
                .toString();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/rotations"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new LauncherException("the orchestrator refused the demo rotation (" + response.statusCode() + "): "
                    + response.body());
        }
        return json.readTree(response.body()).path("rotationId").asText();
    }

    /** Prints each new timeline entry until the rotation ends; returns its final state. */
    String follow(String rotationId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int printed = 0;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/rotations/" + rotationId)).header("Authorization", "Bearer " + token)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                JsonNode detail = json.readTree(response.body());
                JsonNode timeline = detail.path("timeline");
                for (int i = printed; i < timeline.size(); i++) {
                    out.println("    " + line(timeline.get(i)));
                }
                printed = timeline.size();
                String state = detail.path("summary").path("state").asText();
                if (TERMINAL.contains(state)) {
                    return state + (detail.hasNonNull("lastError") ? ": " + detail.path("lastError").asText() : "");
                }
            }
            Thread.sleep(300);
        }
        return "still running after " + timeout.toSeconds() + " s (watch it on the dashboard)";
    }

    private static String line(JsonNode t) {
        StringBuilder b = new StringBuilder(t.path("at").asText().replaceAll(".*T|\\.\\d+Z$|Z$", ""));
        b.append("  ").append(t.path("event").asText());
        if (t.hasNonNull("step")) {
            b.append(' ').append(t.path("step").asText());
        }
        if (t.hasNonNull("source")) {
            b.append("  (").append(t.path("source").asText().replace("/rotor/", "")).append(')');
        }
        if (t.hasNonNull("detail")) {
            b.append("  ").append(t.path("detail").asText());
        }
        return b.toString();
    }
}
