package io.rotor.openstack.keystone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.contracts.sealing.SecretValue;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.jboss.logging.Logger;

/**
 * Keystone's identity API v3, the part Rotor needs: logins (password or application credential, unscoped or scoped
 * to a project), token validation, user lookup, the self-service password change, the administrator's reset, and
 * application credentials. One instance per Keystone endpoint; thread-safe.
 *
 * <p>Each method makes exactly one HTTP call and never retries: a failure is a {@link KeystoneException} whose reason
 * says whether retrying can help, and retrying (with its budget) is the caller's decision. Redirects are not
 * followed, so credentials go only to the configured URL. Passwords, secrets and tokens never appear in a message or
 * a log line.
 */
public final class KeystoneClient {

    public static final int BCRYPT_MAX_BYTES = 72;

    private static final Logger LOG = Logger.getLogger(KeystoneClient.class);
    private static final String JSON = "application/json";
    private static final String SUBJECT_TOKEN = "X-Subject-Token";

    private final URI url;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();
    private final KeystoneErrors errors = new KeystoneErrors(json);

    private KeystoneClient(Builder builder) {
        this.url = identityUrl(builder.url);
        this.timeout = builder.timeout;
        HttpClient.Builder http = HttpClient.newBuilder()
                // uWSGI's http-socket and many proxies speak HTTP/1.1 only; don't offer an h2c upgrade.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(builder.timeout);
        if (builder.sslContext != null) {
            http.sslContext(builder.sslContext);
        }
        this.http = http.build();
    }

    /** @param url Keystone's identity URL, with or without the trailing {@code /v3} */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** The identity API root this client talks to, ending in {@code /v3}. */
    public URI url() {
        return url;
    }

    /** Keystone's identity URL as this client uses it: no trailing slash, ending in {@code /v3}. */
    public static URI identityUrl(String url) {
        String trimmed = Objects.requireNonNull(url, "url").strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return URI.create(trimmed.endsWith("/v3") ? trimmed : trimmed + "/v3");
    }

    // ---- tokens ---------------------------------------------------------------------------------------------------

    /**
     * A password login. A 401 is {@link KeystoneException.Reason#AUTHENTICATION_FAILED} and counted by Keystone
     * towards the user's lockout.
     *
     * @param scope the project to scope the token to, or null for an unscoped token (enough to prove a password)
     */
    public Token login(UserSelector user, SecretValue password, ProjectScope scope) {
        ObjectNode body = json.createObjectNode();
        ObjectNode auth = body.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode u = identity.putObject("password").putObject("user");
        select(u, user);
        u.put("password", password.reveal());
        if (scope != null) {
            ObjectNode project = auth.putObject("scope").putObject("project");
            if (scope.id() != null) {
                project.put("id", scope.id());
            } else {
                project.put("name", scope.name());
                domain(project.putObject("domain"), scope.domain());
            }
        }
        HttpResponse<String> response = send(Operation.PASSWORD_LOGIN, "as " + user, "POST", "/auth/tokens", null,
                body, List.of(password), 201);
        return token(Operation.PASSWORD_LOGIN, "as " + user, response);
    }

    /** A login as an application credential; the token is scoped to the credential's project. */
    public Token login(ApplicationCredentialSecret credential) {
        ObjectNode body = json.createObjectNode();
        ObjectNode identity = body.putObject("auth").putObject("identity");
        identity.putArray("methods").add("application_credential");
        identity.putObject("application_credential").put("id", credential.id())
                .put("secret", credential.secret().reveal());
        String subject = "as application credential " + credential.id();
        HttpResponse<String> response = send(Operation.APPLICATION_CREDENTIAL_LOGIN, subject, "POST", "/auth/tokens",
                null, body, List.of(credential.secret()), 201);
        return token(Operation.APPLICATION_CREDENTIAL_LOGIN, subject, response);
    }

    /**
     * Whether Keystone still accepts the token (the token validates itself). False when it was revoked, for example
     * because it was issued in the same second as a password change, or expired.
     */
    public boolean isValid(Token token) {
        try {
            send(Operation.VALIDATE_TOKEN, "of user " + token.userId(), "GET", "/auth/tokens", token, null, List.of(),
                    200, req -> req.header(SUBJECT_TOKEN, token.id().reveal()));
            return true;
        } catch (KeystoneException e) {
            if (e.reason() == KeystoneException.Reason.NOT_FOUND
                    || e.reason() == KeystoneException.Reason.TOKEN_REJECTED) {
                return false;
            }
            throw e;
        }
    }

    private Token token(Operation op, String subject, HttpResponse<String> response) {
        String id = response.headers().firstValue(SUBJECT_TOKEN).orElseThrow(
                () -> KeystoneErrors.unexpected(op, subject, response.statusCode(), "no " + SUBJECT_TOKEN + " header"));
        JsonNode t = read(op, subject, response).path("token");
        JsonNode user = t.path("user");
        if (!user.path("id").isTextual()) {
            throw KeystoneErrors.unexpected(op, subject, response.statusCode(), "no token.user.id in the body");
        }
        return new Token(SecretValue.of(id), user.get("id").asText(), user.path("name").asText(null),
                user.path("domain").path("id").asText(null), t.path("project").path("id").asText(null),
                t.path("application_credential").path("id").asText(null), time(t.path("issued_at")),
                time(t.path("expires_at")));
    }

    // ---- users and passwords --------------------------------------------------------------------------------------

    /** Looks a user up by name in a domain; needs a token allowed to list users (an administrator's). */
    public Optional<KeystoneUser> findUser(Token token, String name, DomainSelector domain) {
        String subject = "user " + name + " in " + domain;
        String domainId = domain.id() != null ? domain.id() : domainId(token, domain.name());
        HttpResponse<String> response = send(Operation.FIND_USER, subject, "GET",
                "/users?domain_id=" + enc(domainId) + "&name=" + enc(name), token, null, List.of(), 200);
        JsonNode users = read(Operation.FIND_USER, subject, response).path("users");
        if (users.size() > 1) {
            throw KeystoneErrors.unexpected(Operation.FIND_USER, subject, 200, users.size() + " users match");
        }
        return users.isEmpty() ? Optional.empty() : Optional.of(user(users.get(0)));
    }

    /** A user by id; a user may read itself, an administrator anyone. */
    public KeystoneUser user(Token token, String userId) {
        String subject = "user " + userId;
        HttpResponse<String> response = send(Operation.GET_USER, subject, "GET", "/users/" + enc(userId), token, null,
                List.of(), 200);
        return user(read(Operation.GET_USER, subject, response).path("user"));
    }

    private String domainId(Token token, String name) {
        String subject = "domain " + name;
        HttpResponse<String> response = send(Operation.FIND_DOMAIN, subject, "GET", "/domains?name=" + enc(name),
                token, null, List.of(), 200);
        JsonNode domains = read(Operation.FIND_DOMAIN, subject, response).path("domains");
        if (domains.isEmpty()) {
            throw new KeystoneException(KeystoneException.Reason.NOT_FOUND, 200, "Keystone has no " + subject, null,
                    null);
        }
        return domains.get(0).path("id").asText();
    }

    /**
     * The user's own password change ({@code POST /v3/users/{id}/password}); needs no token. On success Keystone
     * revokes every token of the user issued up to and including the current second.
     */
    public void changePassword(String userId, SecretValue original, SecretValue password) {
        String subject = "user " + userId;
        checkLength(subject, password);
        ObjectNode body = json.createObjectNode();
        body.putObject("user").put("original_password", original.reveal()).put("password", password.reveal());
        send(Operation.CHANGE_PASSWORD, subject, "POST", "/users/" + enc(userId) + "/password", null, body,
                List.of(original, password), 204);
    }

    /**
     * An administrator sets the password ({@code PATCH /v3/users/{id}}) without knowing the old one. Keystone
     * applies password_regex but neither history nor minimum age, and revokes the user's tokens.
     */
    public void resetPassword(Token admin, String userId, SecretValue password) {
        String subject = "user " + userId;
        checkLength(subject, password);
        ObjectNode body = json.createObjectNode();
        body.putObject("user").put("password", password.reveal());
        send(Operation.RESET_PASSWORD, subject, "PATCH", "/users/" + enc(userId), admin, body, List.of(password), 200);
    }

    private static void checkLength(String subject, SecretValue password) {
        if (password.byteLength() > BCRYPT_MAX_BYTES) {
            throw KeystoneErrors.passwordTooLong(subject, password.byteLength());
        }
    }

    // ---- application credentials ----------------------------------------------------------------------------------

    /**
     * Creates an application credential for the token's own user, in the token's project. Keystone lets only the
     * user itself do this (not an administrator), with a password token or an unrestricted application credential.
     */
    public CreatedApplicationCredential createApplicationCredential(Token token, String userId,
            NewApplicationCredential request) {
        String subject = "user " + userId;
        ObjectNode body = json.createObjectNode();
        ObjectNode c = body.putObject("application_credential");
        c.put("name", request.name());
        if (request.description() != null) {
            c.put("description", request.description());
        }
        if (request.secret() != null) {
            checkLength(subject, request.secret());
            c.put("secret", request.secret().reveal());
        }
        if (!request.roles().isEmpty()) {
            ArrayNode roles = c.putArray("roles");
            request.roles().forEach(r -> roles.addObject().put("name", r));
        }
        if (request.expiresAt() != null) {
            c.put("expires_at", DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                    LocalDateTime.ofInstant(request.expiresAt(), ZoneOffset.UTC)));
        }
        if (request.unrestricted()) {
            c.put("unrestricted", true);
        }
        HttpResponse<String> response = send(Operation.CREATE_APPLICATION_CREDENTIAL, subject, "POST",
                "/users/" + enc(userId) + "/application_credentials", token, body,
                request.secret() == null ? List.of() : List.of(request.secret()), 201);
        JsonNode created = read(Operation.CREATE_APPLICATION_CREDENTIAL, subject, response)
                .path("application_credential");
        if (!created.path("id").isTextual() || !created.path("secret").isTextual()) {
            throw KeystoneErrors.unexpected(Operation.CREATE_APPLICATION_CREDENTIAL, subject, 201,
                    "no id or secret in the answer");
        }
        // Keystone answers with the secret it stored: the one sent, or one it generated.
        return new CreatedApplicationCredential(created.get("id").asText(), created.path("name").asText(),
                created.path("project_id").asText(null), SecretValue.of(created.get("secret").asText()),
                time(created.path("expires_at")));
    }

    /** The user's application credentials, all or those with this name (null for all). */
    public List<ApplicationCredentialInfo> applicationCredentials(Token token, String userId, String name) {
        String subject = "user " + userId;
        HttpResponse<String> response = send(Operation.LIST_APPLICATION_CREDENTIALS, subject, "GET",
                "/users/" + enc(userId) + "/application_credentials" + (name == null ? "" : "?name=" + enc(name)),
                token, null, List.of(), 200);
        List<ApplicationCredentialInfo> list = new ArrayList<>();
        for (JsonNode c : read(Operation.LIST_APPLICATION_CREDENTIALS, subject, response)
                .path("application_credentials")) {
            list.add(new ApplicationCredentialInfo(c.path("id").asText(), c.path("name").asText(),
                    c.path("project_id").asText(null), time(c.path("expires_at")),
                    c.path("unrestricted").asBoolean(false)));
        }
        return list;
    }

    /**
     * Deletes an application credential; its tokens die with it. A restricted application credential may not do
     * this, not even to itself: use a password token or an unrestricted one.
     *
     * @throws KeystoneException with reason NOT_FOUND when it does not exist (any more)
     */
    public void deleteApplicationCredential(Token token, String userId, String credentialId) {
        send(Operation.DELETE_APPLICATION_CREDENTIAL, "application credential " + credentialId + " of user " + userId,
                "DELETE", "/users/" + enc(userId) + "/application_credentials/" + enc(credentialId), token, null,
                List.of(), 204);
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    private interface Headers {
        void add(HttpRequest.Builder request);
    }

    private HttpResponse<String> send(Operation op, String subject, String method, String path, Token token,
            JsonNode body, List<SecretValue> secrets, int expected) {
        return send(op, subject, method, path, token, body, secrets, expected, request -> {
        });
    }

    private HttpResponse<String> send(Operation op, String subject, String method, String path, Token token,
            JsonNode body, List<SecretValue> secrets, int expected, Headers headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(timeout)
                .header("Accept", JSON).header("User-Agent", "rotor-openstack-rotator");
        try {
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a request body", e);
        }
        if (body != null) {
            request.header("Content-Type", JSON);
        }
        if (token != null) {
            request.header("X-Auth-Token", token.id().reveal());
        }
        headers.add(request);
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debugf("%s %s failed after %d ms: %s", method, pathOnly(path), millisSince(started),
                    e.getClass().getSimpleName());
            throw errors.fromIoFailure(op, subject, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeystoneException(KeystoneException.Reason.TIMEOUT, 0,
                    "Interrupted while trying to " + op.describe(subject), null, e);
        }
        LOG.debugf("%s %s -> %d in %d ms", method, pathOnly(path), response.statusCode(), millisSince(started));
        if (response.statusCode() != expected) {
            throw errors.fromResponse(op, subject, response.statusCode(), response.body(), secrets);
        }
        return response;
    }

    private JsonNode read(Operation op, String subject, HttpResponse<String> response) {
        try {
            JsonNode node = json.readTree(response.body());
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw KeystoneErrors.unexpected(op, subject, response.statusCode(), "the body is not Keystone's JSON");
        }
    }

    private static void select(ObjectNode node, UserSelector user) {
        if (user.id() != null) {
            node.put("id", user.id());
        } else {
            node.put("name", user.name());
            domain(node.putObject("domain"), user.domain());
        }
    }

    private static void domain(ObjectNode node, DomainSelector domain) {
        if (domain.id() != null) {
            node.put("id", domain.id());
        } else {
            node.put("name", domain.name());
        }
    }

    private static KeystoneUser user(JsonNode u) {
        return new KeystoneUser(u.path("id").asText(), u.path("name").asText(), u.path("domain_id").asText(null),
                u.path("enabled").asBoolean(true));
    }

    /** Keystone writes {@code 2026-11-22T08:27:15.000000Z} for tokens and drops the zone for credentials (UTC). */
    static Instant time(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        String text = node.asText();
        try {
            return text.endsWith("Z") ? Instant.parse(text) : LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String pathOnly(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static long millisSince(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    public static final class Builder {
        private final String url;
        private SSLContext sslContext;
        private Duration timeout = Duration.ofSeconds(10);

        private Builder(String url) {
            this.url = url;
        }

        /**
         * How to trust Keystone's certificate (the kit's {@code EndpointTlsResolver} builds it from the credential's
         * CA bundle). Without it, the JVM's default trust store.
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /** Connect timeout and the time to wait for each answer. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public KeystoneClient build() {
            return new KeystoneClient(this);
        }
    }
}
