package io.rotor.secret.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.k8s.ServiceStopping;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The few calls of Vault's KV v2 HTTP API the writer needs: read a path (latest or a given version) and write a new
 * version with check-and-set, authenticated with a token.
 */
final class VaultKv2Client {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One version of a path: its data (any JSON values) and number. */
    record Entry(ObjectNode data, int version) {
    }

    private final HttpClient http;
    private final URI address;
    private final SecretValue token;
    private final Duration timeout;

    VaultKv2Client(HttpClient http, URI address, SecretValue token, Duration timeout) {
        this.http = http;
        this.address = address;
        this.token = token;
        this.timeout = timeout;
    }

    /** The latest version ({@code version} null) or the given one; empty if absent or deleted. */
    Optional<Entry> read(String dataPath, Integer version) {
        HttpResponse<String> response = send(request(dataPath, version).GET().build(), dataPath);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        requireOk(response, "reading", dataPath);
        JsonNode body = parse(response, dataPath);
        JsonNode data = body.path("data").path("data");
        int number = body.path("data").path("metadata").path("version").asInt();
        return data.isObject() ? Optional.of(new Entry((ObjectNode) data, number)) : Optional.empty();
    }

    /** Writes a new version if the current one is {@code cas} (0: only if the path holds nothing); its number. */
    int write(String dataPath, ObjectNode data, int cas) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("options").put("cas", cas);
        body.set("data", data);
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a KV v2 write", e);
        }
        HttpResponse<String> response = send(request(dataPath, null)
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json").build(),
                dataPath);
        if (response.statusCode() == 400 && response.body().contains("check-and-set parameter did not match")) {
            throw new VaultException(VaultException.Kind.CAS_MISMATCH, "Vault path " + dataPath
                    + " changed since it was read (check-and-set " + cas + " no longer current)");
        }
        requireOk(response, "writing", dataPath);
        return parse(response, dataPath).path("data").path("version").asInt();
    }

    /** Soft-deletes the latest version (a path this rotation created, on rollback). */
    void deleteLatest(String dataPath) {
        HttpResponse<String> response = send(request(dataPath, null).DELETE().build(), dataPath);
        if (response.statusCode() != 204 && response.statusCode() != 404) {
            requireOk(response, "deleting", dataPath);
        }
    }

    private HttpRequest.Builder request(String dataPath, Integer version) {
        String encoded = Arrays.stream(dataPath.split("/"))
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
        String base = address.toString().replaceAll("/+$", "");
        URI uri = URI.create(base + "/v1/" + encoded + (version == null ? "" : "?version=" + version));
        return HttpRequest.newBuilder(uri).timeout(timeout).header("X-Vault-Token", token.reveal());
    }

    private HttpResponse<String> send(HttpRequest request, String dataPath) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new VaultException(VaultException.Kind.UNAVAILABLE, "Vault at " + address + " did not answer for "
                    + dataPath + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceStopping("calling Vault for " + dataPath);
        }
    }

    private void requireOk(HttpResponse<String> response, String action, String dataPath) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String errors = errors(response);
        String message = "Vault refused " + action + " " + dataPath + ": HTTP " + status + errors;
        if (status == 401 || status == 403) {
            throw new VaultException(VaultException.Kind.FORBIDDEN, message
                    + "; the token's policy needs read, create and update on " + dataPath);
        }
        if (status == 429 || status >= 500) {
            throw new VaultException(VaultException.Kind.UNAVAILABLE, message);
        }
        throw new VaultException(VaultException.Kind.REJECTED, message);
    }

    /** Vault's own error strings (they describe the request, not the data). */
    private static String errors(HttpResponse<String> response) {
        try {
            JsonNode errors = JSON.readTree(response.body()).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                String text = errors.toString();
                return " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
            }
        } catch (IOException | RuntimeException ignored) {
            // Not JSON: say nothing more than the status.
        }
        return "";
    }

    private static JsonNode parse(HttpResponse<String> response, String dataPath) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new VaultException(VaultException.Kind.REJECTED, "Vault's answer for " + dataPath + " is not JSON");
        }
    }
}
