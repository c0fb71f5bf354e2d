package io.rotor.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests without a token (or with a wrong one) to every endpoint — the API, its SSE stream, the OpenAPI document,
 * health and metrics on the API port — with their paths spelled the way an attacker would (encoded dot-segments,
 * doubled slashes, matrix parameters, encoded letters, trailing dots, a detour through the dashboard's public files),
 * with every method, sent byte for byte over a socket so that no client normalises them first: every one is 401.
 * Several of these spellings once reached an API handler without a token.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class UnnormalisedPathTest {

    static final List<String> ENDPOINTS = List.of("/api/v1/credentials", "/api/v1/rotations", "/api/v1/rotations/r1",
            "/api/v1/rotations/stream", "/api/v1/rotations/r1/confirm", "/api/v1/rotations/r1/cancel",
            "/api/v1/whoami", "/q/openapi", "/q/health", "/q/metrics", "/api/v1/nothing-here");

    static final List<UnaryOperator<String>> SPELLINGS = List.of(
            p -> p,
            p -> "/%2e" + p,
            p -> "/%2E" + p,
            p -> "/x/%2e%2e" + p,
            p -> "/x/%2E%2E" + p,
            p -> "/x/.%2e" + p,
            p -> "/" + p,
            p -> "/." + p,
            p -> "/x/.." + p,
            p -> "/index.html/.." + p,
            p -> "/dashboard.js/%2e%2e" + p,
            p -> p + ";a=b",
            p -> p.replaceFirst("/v1/", "/v1;x=y/"),
            p -> "/%" + Integer.toHexString(p.charAt(1)) + p.substring(2),
            p -> p.replaceFirst("/v1/", "/v%31/"),
            p -> p + ".",
            p -> p + "/",
            p -> p.replaceFirst("/v1/", "/v1/./"),
            p -> p.replaceFirst("/v1/", "/v1//"),
            p -> p.replaceFirst("/v1/", "/v1%2f"),
            p -> p.toUpperCase());

    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @TestHTTPResource("/")
    URL base;

    @Test
    void noSpellingOfAnyEndpointWithAnyMethodIsAnsweredWithoutAValidToken() throws IOException {
        List<String> answered = new ArrayList<>();
        Set<String> paths = new LinkedHashSet<>();
        for (String endpoint : ENDPOINTS) {
            for (UnaryOperator<String> spelling : SPELLINGS) {
                paths.add(spelling.apply(endpoint));
            }
        }
        int sent = 0;
        for (String path : paths) {
            for (String method : METHODS) {
                for (String authorization : new String[] {null, "Bearer not-the-token", "Basic dGVzdC10b2tlbjo="}) {
                    int status = send(method, path, authorization);
                    sent++;
                    if (status != 401) {
                        answered.add(method + " " + path + (authorization == null ? "" : " [" + authorization + "]")
                                + " -> " + status);
                    }
                }
            }
        }
        assertThat(answered).as("of %d requests, these were not refused with 401", sent).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/index.html", "/dashboard.js", "/dashboard.css"})
    void theDashboardShellIsPublicAndCarriesNothing(String path) throws IOException {
        assertThat(send("GET", path, null)).isEqualTo(200);
    }

    private int send(String method, String path, String authorization) throws IOException {
        String body = "{\"credential\":\"rotor-test/anything\",\"password\":\"x\"}";
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nConnection: close\r\n");
        if (authorization != null) {
            request.append("Authorization: ").append(authorization).append("\r\n");
        }
        boolean withBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        if (withBody) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length()).append("\r\n");
        }
        request.append("\r\n");
        if (withBody) {
            request.append(body);
        }
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\n';) {
                line.append((char) c);
            }
            // "HTTP/1.1 401 Unauthorized"
            String[] parts = line.toString().split(" ");
            if (parts.length < 2) {
                throw new IOException(method + " " + path + ": no status line (" + line + ")");
            }
            return Integer.parseInt(parts[1]);
        }
    }
}
