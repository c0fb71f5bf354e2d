package io.rotor.testkit.oidc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OpenID Connect issuer for tests, on 127.0.0.1: discovery ({@code /.well-known/openid-configuration}) and its
 * signing key ({@code /jwks}), and RS256 access tokens minted on demand. What it does not do: log anyone in (there is
 * no authorization or token endpoint that works), introspect, or rotate keys.
 *
 * <pre>{@code
 * try (FakeOidcProvider issuer = FakeOidcProvider.start()) {
 *     String token = issuer.token("alice@example.com", List.of("sre"), Duration.ofMinutes(5));
 * }
 * }</pre>
 */
public final class FakeOidcProvider implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String KEY_ID = "rotor-test-key";

    private final HttpServer server;
    private final KeyPair key;
    private final String issuer;

    private FakeOidcProvider(HttpServer server, KeyPair key) {
        this.server = server;
        this.key = key;
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/rotor";
    }

    public static FakeOidcProvider start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            FakeOidcProvider provider = new FakeOidcProvider(server, rsaKey());
            server.createContext("/realms/rotor/.well-known/openid-configuration", provider::discovery);
            server.createContext("/realms/rotor/jwks", provider::jwks);
            server.start();
            return provider;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the OIDC issuer", e);
        }
    }

    /** The issuer URL ({@code iss}), also what {@code quarkus.oidc.auth-server-url} names. */
    public String issuer() {
        return issuer;
    }

    /** A signed access token for {@code subject} with these groups, valid for {@code lifetime} from now. */
    public String token(String subject, List<String> groups, Duration lifetime) {
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("preferred_username", subject);
        claims.put("groups", groups);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(lifetime).getEpochSecond());
        return sign(claims, key);
    }

    /** The same token signed by a key this issuer never published: what a forger would send. */
    public String forgedToken(String subject, List<String> groups) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("preferred_username", subject);
        claims.put("groups", groups);
        claims.put("exp", Instant.now().plusSeconds(300).getEpochSecond());
        return sign(claims, rsaKey());
    }

    private static String sign(Map<String, Object> claims, KeyPair key) {
        try {
            String header = B64URL.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT",
                    "kid", KEY_ID)));
            String payload = B64URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key.getPrivate());
            rs256.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + B64URL.encodeToString(rs256.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("jwks_uri", issuer + "/jwks");
        doc.put("authorization_endpoint", issuer + "/auth");
        doc.put("token_endpoint", issuer + "/token");
        doc.put("response_types_supported", List.of("code"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        answer(exchange, doc);
    }

    private void jwks(HttpExchange exchange) throws IOException {
        RSAPublicKey pub = (RSAPublicKey) key.getPublic();
        answer(exchange, Map.of("keys", List.of(Map.of("kty", "RSA", "kid", KEY_ID, "use", "sig", "alg", "RS256",
                "n", unsigned(pub.getModulus()), "e", unsigned(pub.getPublicExponent())))));
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            bytes = trimmed;
        }
        return B64URL.encodeToString(bytes);
    }

    private static void answer(HttpExchange exchange, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static KeyPair rsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
