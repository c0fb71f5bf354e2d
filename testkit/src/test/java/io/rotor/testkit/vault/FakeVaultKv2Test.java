package io.rotor.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeVaultKv2Test {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeVaultKv2 vault = FakeVaultKv2.builder().token("t0ken").mount("kv").start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void aPathNeverWrittenIs404WithAnEmptyErrorList() throws Exception {
        HttpResponse<String> r = call("GET", "/v1/secret/data/missing", null, "t0ken");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).get("errors")).isEmpty();
    }

    @Test
    void writesMakeVersionsAndReadsGiveTheLatestOrTheOneAskedFor() throws Exception {
        HttpResponse<String> first = call("POST", "/v1/secret/data/rec/admin", "{\"data\":{\"username\":\"u\",\"password\":\"a\"}}", "t0ken");
        HttpResponse<String> second = call("PUT", "/v1/secret/data/rec/admin", "{\"options\":{\"cas\":1},\"data\":{\"username\":\"u\",\"password\":\"b\"}}", "t0ken");

        assertThat(JSON.readTree(first.body()).at("/data/version").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(second.body()).at("/data/version").asInt()).isEqualTo(2);
        JsonNode latest = JSON.readTree(call("GET", "/v1/secret/data/rec/admin", null, "t0ken").body());
        assertThat(latest.at("/data/data/password").asText()).isEqualTo("b");
        assertThat(latest.at("/data/metadata/version").asInt()).isEqualTo(2);
        JsonNode old = JSON.readTree(call("GET", "/v1/secret/data/rec/admin?version=1", null, "t0ken").body());
        assertThat(old.at("/data/data/password").asText()).isEqualTo("a");
        JsonNode meta = JSON.readTree(call("GET", "/v1/secret/metadata/rec/admin", null, "t0ken").body());
        assertThat(meta.at("/data/current_version").asInt()).isEqualTo(2);
        assertThat(vault.writeCount("secret", "rec/admin")).isEqualTo(2);
    }

    @Test
    void aStaleCheckAndSetIsRefused() throws Exception {
        vault.put("secret", "p", Map.of("password", "x"));

        HttpResponse<String> stale = call("POST", "/v1/secret/data/p", "{\"options\":{\"cas\":0},\"data\":{\"password\":\"y\"}}", "t0ken");

        assertThat(stale.statusCode()).isEqualTo(400);
        assertThat(stale.body()).contains("check-and-set parameter did not match the current version");
        assertThat(vault.current("secret", "p")).get().extracting(v -> v.data().get("password")).isEqualTo("x");
    }

    @Test
    void anInterleavedWriterMakesTheNextCheckAndSetStale() throws Exception {
        vault.put("secret", "p", Map.of("password", "x"));
        vault.interleaveBeforeNextWrite("secret", "p", Map.of("password", "theirs"));

        HttpResponse<String> ours = call("POST", "/v1/secret/data/p", "{\"options\":{\"cas\":1},\"data\":{\"password\":\"ours\"}}", "t0ken");

        assertThat(ours.statusCode()).isEqualTo(400);
        assertThat(vault.current("secret", "p")).get().extracting(v -> v.data().get("password")).isEqualTo("theirs");
    }

    @Test
    void aWrongTokenIsPermissionDeniedAndAnUnknownMountHasNoRoute() throws Exception {
        assertThat(call("GET", "/v1/secret/data/p", null, "wrong").statusCode()).isEqualTo(403);
        assertThat(call("GET", "/v1/nomount/data/p", null, "t0ken").body()).contains("no handler for route");
    }

    @Test
    void injectedFailuresComeFirstThenNormalService() throws Exception {
        vault.failNext(503, 1);

        assertThat(call("GET", "/v1/kv/data/p", null, "t0ken").body()).contains("Vault is sealed");
        assertThat(call("GET", "/v1/kv/data/p", null, "t0ken").statusCode()).isEqualTo(404);
        assertThat(vault.requests()).containsExactly("GET /v1/kv/data/p", "GET /v1/kv/data/p");
    }

    @Test
    void deleteSoftDeletesTheLatestVersion() throws Exception {
        vault.put("secret", "p", Map.of("password", "x"));

        assertThat(call("DELETE", "/v1/secret/data/p", null, "t0ken").statusCode()).isEqualTo(204);
        assertThat(call("GET", "/v1/secret/data/p", null, "t0ken").statusCode()).isEqualTo(404);
        assertThat(vault.current("secret", "p")).isEmpty();
        assertThat(vault.versions("secret", "p")).singleElement().satisfies(v -> assertThat(v.deleted()).isTrue());
    }

    @Test
    void casRequiredRefusesAWriteWithoutIt() throws Exception {
        try (FakeVaultKv2 strict = FakeVaultKv2.builder().casRequired().start()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(strict.address() + "/v1/secret/data/p"))
                    .header("X-Vault-Token", strict.token())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"a\":\"b\"}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("check-and-set parameter required");
        }
    }

    private HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(vault.address() + path)).header("X-Vault-Token", token);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
