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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests without a token, their paths spelled the way an attacker would (encoded dot-segments, doubled slashes,
 * matrix parameters, encoded letters, trailing dots), sent byte for byte over a socket so that no client normalises
 * them first: none reaches an API handler. Each of these once answered 200 (or reached the handler) without a token.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class UnnormalisedPathTest {

    @TestHTTPResource("/")
    URL base;

    @ParameterizedTest
    @ValueSource(strings = {"/%2e/api/v1/credentials", "/x/%2e%2e/api/v1/credentials", "/%2E%2E/api/v1/credentials",
            "/%2e/api/v1/rotations/stream", "//api/v1/credentials", "/./api/v1/credentials", "/x/../api/v1/rotations",
            "/api/v1/credentials;a=b", "/%61pi/v1/credentials", "/api/v1/%63redentials", "/api/v1/credentials.",
            "/api/v1/./credentials", "/API/v1/credentials"})
    void aGetWithoutATokenIsNeverAnswered(String path) throws IOException {
        assertThat(status("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                .as("GET %s", path).isIn(401, 404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%2e/api/v1/rotations", "/x/%2e%2e/api/v1/rotations/r1/confirm",
            "/%2e/api/v1/rotations/r1/cancel", "//api/v1/rotations", "/api/v1/rotations;x=1"})
    void aPostWithoutATokenNeverReachesAHandler(String path) throws IOException {
        String body = "{\"credential\":\"rotor-test/anything\",\"password\":\"x\"}";
        assertThat(status("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body))
                .as("POST %s", path).isIn(401, 404);
    }

    private int status(String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\n';) {
                line.append((char) c);
            }
            // "HTTP/1.1 401 Unauthorized"
            String[] parts = line.toString().split(" ");
            return Integer.parseInt(parts[1]);
        }
    }
}
