package io.rotor.testkit.keystone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.rotor.testkit.keystone.FakeKeystoneState.ApplicationCredential;
import io.rotor.testkit.keystone.FakeKeystoneState.Domain;
import io.rotor.testkit.keystone.FakeKeystoneState.Project;
import io.rotor.testkit.keystone.FakeKeystoneState.Role;
import io.rotor.testkit.keystone.FakeKeystoneState.Token;
import io.rotor.testkit.keystone.FakeKeystoneState.User;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A stateful fake of Keystone's identity API v3, limited to what Rotor relies on and faithful to it: password and
 * application-credential logins (unscoped or project-scoped), token validation, user lookup, self-service password
 * change with Keystone's rules and order of checks, the administrator's password reset, application credentials, and
 * the little administration tests need to set up users. Every behaviour here is also asserted against a real Keystone
 * by the conformance suite in openstack-rotator; add a behaviour to both or to neither.
 *
 * <p>It serves on 127.0.0.1 (HTTP, or HTTPS with a fresh self-signed certificate) from one thread, as the real
 * single-process Keystone does. Time is its own clock, which tests move with {@link #elapse} (or the system clock,
 * {@link Builder#realTime()}, for a whole service that waits in real time); code under test that
 * waits for Keystone (the one-second token rule) can share it through {@link #clock()}. Faults are injected with
 * {@link #failNext} and {@link #delayNext}.
 */
public final class FakeKeystone implements Keystone {

    private static final Logger LOG = Logger.getLogger(FakeKeystone.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);
    private static final Pattern USER = Pattern.compile("/v3/users/([^/]+)");
    private static final Pattern USER_PASSWORD = Pattern.compile("/v3/users/([^/]+)/password");
    private static final Pattern APP_CREDS = Pattern.compile("/v3/users/([^/]+)/application_credentials");
    private static final Pattern APP_CRED = Pattern.compile("/v3/users/([^/]+)/application_credentials/([^/]+)");
    private static final Pattern GRANT = Pattern.compile("/v3/projects/([^/]+)/users/([^/]+)/roles/([^/]+)");

    /** A request as the fake answered it (no bodies: they hold passwords). */
    public record RecordedRequest(String method, String path, int status) {
    }

    private record Fault(String method, Pattern path, int status, Duration delay, AtomicInteger remaining) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final Instant frozenStart;
    private final String adminPassword;
    private final FakeKeystoneState state;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String caPem;
    private final URI url;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm and the client's delayed ACK each
        // answer then waits ~40 ms. Read once, when the JDK's server configuration class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private FakeKeystone(Builder builder) throws IOException {
        // Start just after a whole second, so that "the same second" is deterministic until a test moves the clock.
        this.frozenStart = builder.realTime ? null : builder.start.truncatedTo(ChronoUnit.SECONDS).plusMillis(100);
        this.adminPassword = builder.adminPassword != null ? builder.adminPassword : randomPassword();
        this.state = new FakeKeystoneState(this::now, adminPassword);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (builder.tls) {
            SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback();
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
            this.server = https;
            this.caPem = certificate.pem();
        } else {
            this.server = HttpServer.create(address, 0);
            this.caPem = null;
        }
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fake-keystone");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.url = URI.create((builder.tls ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + "/v3");
        LOG.debugf("Fake Keystone at %s", url);
    }

    public static FakeKeystone start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public URI url() {
        return url;
    }

    @Override
    public String adminPassword() {
        return adminPassword;
    }

    @Override
    public void reconfigure(SecurityCompliance rules) {
        state.rules(rules);
    }

    @Override
    public SecurityCompliance rules() {
        return state.rules();
    }

    /**
     * Keystone's {@code [DEFAULT] insecure_debug}: with it a locked account's login is answered "The account is locked
     * for user: <id>." instead of Keystone's usual 401, which says nothing of the cause.
     */
    public void insecureDebug(boolean on) {
        state.insecureDebug(on);
    }

    @Override
    public boolean reconfigurable() {
        return true;
    }

    @Override
    public void elapse(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward");
        }
        offset.updateAndGet(o -> o.plus(duration));
    }

    private Instant now() {
        return (frozenStart != null ? frozenStart : Instant.now()).plus(offset.get());
    }

    @Override
    public boolean real() {
        return false;
    }

    /** The fake's time, for code under test that must see the same clock as Keystone. */
    @Override
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return Clock.fixed(instant(), zone);
            }

            @Override
            public Instant instant() {
                return now();
            }
        };
    }

    /** The CA certificate (PEM) to trust when built with {@link Builder#tls()}. */
    public String caCertificatePem() {
        if (caPem == null) {
            throw new IllegalStateException("this fake serves plain HTTP");
        }
        return caPem;
    }

    /**
     * The next {@code times} requests matching method and path (a regex over the path without query) get
     * {@code status} with an HTML body, as a proxy in front of Keystone would answer, and change nothing.
     */
    public void failNext(String method, String pathRegex, int status, int times) {
        faults.add(new Fault(method, Pattern.compile(pathRegex), status, Duration.ZERO, new AtomicInteger(times)));
    }

    /** The next {@code times} matching requests are answered normally, but only after {@code delay} (real time). */
    public void delayNext(String method, String pathRegex, Duration delay, int times) {
        faults.add(new Fault(method, Pattern.compile(pathRegex), 0, delay, new AtomicInteger(times)));
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** How many requests matched method and path regex. */
    public long requestCount(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return requests.stream().filter(r -> r.method().equals(method) && p.matcher(r.path()).matches()).count();
    }

    /** Failed logins counted towards the lockout since the last successful one. */
    public int failedLoginCount(String userId) {
        return state.failedAuthCount(userId);
    }

    /** How many passwords the user has had, the current one included. */
    public int passwordCount(String userId) {
        return state.passwordCount(userId);
    }

    public int applicationCredentialCount(String userId) {
        return state.liveApplicationCredentials(userId);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FakeKeystone[" + url + "]";
    }

    // ---- HTTP -----------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        int status;
        try {
            Optional<Fault> fault = fault(method, path);
            if (fault.isPresent() && !fault.get().delay().isZero()) {
                sleep(fault.get().delay());
            }
            if (fault.isPresent() && fault.get().status() > 0) {
                status = fault.get().status();
                send(exchange, status, "text/html", "<html><body><h1>" + status + "</h1>Injected by FakeKeystone</body></html>");
            } else {
                status = route(exchange, method, path);
            }
        } catch (KeystoneApiError e) {
            status = e.status();
            ObjectNode body = json.createObjectNode();
            body.putObject("error").put("code", e.status()).put("message", e.getMessage()).put("title", e.title());
            sendJson(exchange, status, body);
        } catch (RuntimeException e) {
            LOG.error("Fake Keystone failed on " + method + " " + path, e);
            status = 500;
            ObjectNode body = json.createObjectNode();
            body.putObject("error").put("code", 500).put("message", "An unexpected error prevented the server from "
                    + "fulfilling your request.").put("title", "Internal Server Error");
            sendJson(exchange, status, body);
        } finally {
            exchange.close();
        }
        requests.add(new RecordedRequest(method, path, status));
    }

    private Optional<Fault> fault(String method, String path) {
        for (Fault f : faults) {
            if (f.method().equals(method) && f.path().matcher(path).matches() && f.remaining().getAndUpdate(
                    n -> Math.max(0, n - 1)) > 0) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    private int route(HttpExchange ex, String method, String path) throws IOException {
        if (path.equals("/v3") || path.equals("/v3/")) {
            ObjectNode body = json.createObjectNode();
            body.putObject("version").put("id", "v3.14").put("status", "stable");
            return sendJson(ex, 200, body);
        }
        if (path.equals("/v3/auth/tokens")) {
            return switch (method) {
                case "POST" -> issueToken(ex);
                case "GET" -> validateToken(ex);
                default -> methodNotAllowed();
            };
        }
        Matcher m;
        if ((m = USER_PASSWORD.matcher(path)).matches() && method.equals("POST")) {
            return changePassword(ex, m.group(1));
        }
        if ((m = APP_CRED.matcher(path)).matches()) {
            return switch (method) {
                case "GET" -> getApplicationCredential(ex, m.group(1), m.group(2));
                case "DELETE" -> deleteApplicationCredential(ex, m.group(1), m.group(2));
                default -> methodNotAllowed();
            };
        }
        if ((m = APP_CREDS.matcher(path)).matches()) {
            return switch (method) {
                case "POST" -> createApplicationCredential(ex, m.group(1));
                case "GET" -> listApplicationCredentials(ex, m.group(1));
                default -> methodNotAllowed();
            };
        }
        if ((m = USER.matcher(path)).matches()) {
            return switch (method) {
                case "GET" -> getUser(ex, m.group(1));
                case "PATCH" -> updateUser(ex, m.group(1));
                case "DELETE" -> deleteUser(ex, m.group(1));
                default -> methodNotAllowed();
            };
        }
        if (path.equals("/v3/users")) {
            return switch (method) {
                case "GET" -> listUsers(ex);
                case "POST" -> createUser(ex);
                default -> methodNotAllowed();
            };
        }
        if (path.equals("/v3/projects")) {
            return switch (method) {
                case "GET" -> listProjects(ex);
                case "POST" -> createProject(ex);
                default -> methodNotAllowed();
            };
        }
        if ((m = GRANT.matcher(path)).matches() && method.equals("PUT")) {
            requireAdmin(ex, "identity:create_grant");
            state.grant(m.group(2), m.group(1), m.group(3));
            return send(ex, 204, null, null);
        }
        if (path.equals("/v3/roles") && method.equals("GET")) {
            requireAdmin(ex, "identity:list_roles");
            String name = query(ex).get("name");
            ArrayNode list = json.createArrayNode();
            state.allRoles().stream().filter(r -> name == null || r.name().equals(name)).forEach(r -> list.add(role(r)));
            ObjectNode body = json.createObjectNode();
            body.set("roles", list);
            return sendJson(ex, 200, body);
        }
        if (path.equals("/v3/domains") && method.equals("GET")) {
            requireAdmin(ex, "identity:list_domains");
            String name = query(ex).get("name");
            ArrayNode list = json.createArrayNode();
            (name == null ? state.domainById(DEFAULT_DOMAIN_ID) : state.domainByName(name))
                    .ifPresent(d -> list.add(domain(d)));
            ObjectNode body = json.createObjectNode();
            body.set("domains", list);
            return sendJson(ex, 200, body);
        }
        throw new KeystoneApiError(404, "The resource could not be found.");
    }

    private static int methodNotAllowed() {
        throw new KeystoneApiError(405, "The method specified is not allowed for the requested URL.");
    }

    // ---- tokens ---------------------------------------------------------------------------------------------------

    private int issueToken(HttpExchange ex) throws IOException {
        JsonNode auth = body(ex).path("auth");
        JsonNode identity = auth.path("identity");
        JsonNode methods = identity.path("methods");
        if (!methods.isArray() || methods.size() != 1) {
            throw KeystoneApiError.badRequest("Expecting to find identity in auth. The server could not comply with "
                    + "the request since it is either malformed or otherwise incorrect. The client is assumed to be "
                    + "in error.");
        }
        Token token;
        switch (methods.get(0).asText()) {
            case "password" -> {
                JsonNode user = identity.path("password").path("user");
                User found = user.hasNonNull("id") ? state.user(user.get("id").asText()).orElse(null)
                        : domainOf(user.path("domain")).flatMap(d -> state.findUser(user.path("name").asText(), d.id()))
                                .orElse(null);
                Project scope = scope(auth.path("scope"));
                token = state.issuePasswordToken(found, user.path("password").asText(null), scope);
            }
            case "application_credential" -> {
                JsonNode credential = identity.path("application_credential");
                ApplicationCredential found;
                if (credential.hasNonNull("id")) {
                    found = state.applicationCredential(credential.get("id").asText());
                } else {
                    JsonNode user = credential.path("user");
                    String userId = user.hasNonNull("id") ? user.get("id").asText()
                            : domainOf(user.path("domain")).flatMap(d -> state.findUser(user.path("name").asText(),
                                    d.id())).map(u -> u.id).orElseThrow(KeystoneApiError::unauthorized);
                    found = state.applicationCredentialByName(userId, credential.path("name").asText())
                            .orElseThrow(KeystoneApiError::unauthorized);
                }
                token = state.issueApplicationCredentialToken(found, credential.path("secret").asText(null));
            }
            default -> throw KeystoneApiError.unauthorized();
        }
        ex.getResponseHeaders().set("X-Subject-Token", token.id());
        return sendJson(ex, 201, tokenBody(token));
    }

    private int validateToken(HttpExchange ex) throws IOException {
        Token caller = caller(ex);
        Token subject = state.validToken(ex.getRequestHeaders().getFirst("X-Subject-Token"))
                .orElseThrow(() -> new KeystoneApiError(404, "Failed to validate token"));
        if (!subject.userId().equals(caller.userId()) && !state.isAdmin(caller)) {
            throw KeystoneApiError.forbidden("identity:validate_token");
        }
        ex.getResponseHeaders().set("X-Subject-Token", subject.id());
        return sendJson(ex, 200, tokenBody(subject));
    }

    private Project scope(JsonNode scope) {
        if (scope.isMissingNode() || scope.isNull() || !scope.has("project")) {
            return null;
        }
        JsonNode project = scope.get("project");
        Optional<Project> found = project.hasNonNull("id") ? state.project(project.get("id").asText())
                : domainOf(project.path("domain")).flatMap(d -> state.findProject(project.path("name").asText(),
                        d.id()));
        return found.orElseThrow(KeystoneApiError::unauthorized);
    }

    private Optional<Domain> domainOf(JsonNode domain) {
        if (domain.hasNonNull("id")) {
            return state.domainById(domain.get("id").asText());
        }
        if (domain.hasNonNull("name")) {
            return state.domainByName(domain.get("name").asText());
        }
        return Optional.empty();
    }

    private ObjectNode tokenBody(Token token) {
        User user = state.user(token.userId()).orElseThrow();
        ObjectNode body = json.createObjectNode();
        ObjectNode t = body.putObject("token");
        t.putArray("methods").add(token.method());
        ObjectNode u = t.putObject("user");
        u.set("domain", domain(state.domainById(user.domainId).orElseThrow()));
        u.put("id", user.id).put("name", user.name).putNull("password_expires_at");
        t.putArray("audit_ids").add(token.id().substring(token.id().length() - 22));
        t.put("expires_at", TIME.format(token.expiresAt()) + "Z");
        t.put("issued_at", TIME.format(token.issuedAt()) + "Z");
        if (token.projectId() != null) {
            Project project = state.project(token.projectId()).orElseThrow();
            ObjectNode p = t.putObject("project");
            p.set("domain", domain(state.domainById(project.domainId()).orElseThrow()));
            p.put("id", project.id()).put("name", project.name());
            t.put("is_domain", false);
            ArrayNode roles = t.putArray("roles");
            token.roleIds().forEach(id -> state.role(id).ifPresent(r -> roles.add(json.createObjectNode()
                    .put("id", r.id()).put("name", r.name()))));
        }
        if (token.applicationCredentialId() != null) {
            ApplicationCredential c = state.applicationCredential(token.applicationCredentialId());
            t.putObject("application_credential").put("id", c.id()).put("name", c.name())
                    .put("restricted", !c.unrestricted());
        }
        return body;
    }

    private Token caller(HttpExchange ex) {
        return state.validToken(ex.getRequestHeaders().getFirst("X-Auth-Token"))
                .orElseThrow(KeystoneApiError::unauthorized);
    }

    private Token requireAdmin(HttpExchange ex, String action) {
        Token caller = caller(ex);
        if (!state.isAdmin(caller)) {
            throw KeystoneApiError.forbidden(action);
        }
        return caller;
    }

    // ---- users and passwords --------------------------------------------------------------------------------------

    private int changePassword(HttpExchange ex, String userId) throws IOException {
        JsonNode user = body(ex).path("user");
        requireSchema(user, "original_password");
        requireSchema(user, "password");
        state.changePassword(userId, user.get("original_password").asText(), user.get("password").asText());
        return send(ex, 204, null, null);
    }

    /**
     * Keystone validates bodies with jsonschema and returns its whole message, which quotes the instance: the
     * submitted passwords. The fake does the same, so that clients are tested for never passing such a message on.
     */
    private void requireSchema(JsonNode user, String field) {
        if (!user.path(field).isTextual()) {
            throw KeystoneApiError.badRequest("'" + field + "' is a required property\n\nFailed validating "
                    + "'required' in schema:\n    {'additionalProperties': False,\n     'properties': "
                    + "{'original_password': {'type': 'string'},\n                    'password': {'type': 'string'}},"
                    + "\n     'required': ['original_password', 'password'],\n     'type': 'object'}\n\nOn instance:\n"
                    + "    " + user);
        }
    }

    private int getUser(HttpExchange ex, String userId) throws IOException {
        Token caller = caller(ex);
        if (!caller.userId().equals(userId) && !state.isAdmin(caller)) {
            throw KeystoneApiError.forbidden("identity:get_user");
        }
        return sendJson(ex, 200, wrapUser(state.requireUser(userId)));
    }

    private int listUsers(HttpExchange ex) throws IOException {
        requireAdmin(ex, "identity:list_users");
        Map<String, String> q = query(ex);
        ArrayNode list = json.createArrayNode();
        String domainId = q.getOrDefault("domain_id", null);
        String name = q.get("name");
        if (name != null) {
            (domainId != null ? state.findUser(name, domainId) : state.findUser(name, DEFAULT_DOMAIN_ID))
                    .ifPresent(u -> list.add(user(u)));
        }
        ObjectNode body = json.createObjectNode();
        body.set("users", list);
        return sendJson(ex, 200, body);
    }

    private int createUser(HttpExchange ex) throws IOException {
        requireAdmin(ex, "identity:create_user");
        JsonNode user = body(ex).path("user");
        User created = state.createUser(user.path("name").asText(), user.path("domain_id").asText(DEFAULT_DOMAIN_ID),
                user.path("password").asText(null));
        return sendJson(ex, 201, wrapUser(created));
    }

    private int updateUser(HttpExchange ex, String userId) throws IOException {
        requireAdmin(ex, "identity:update_user");
        JsonNode user = body(ex).path("user");
        User updated = state.requireUser(userId);
        if (user.path("enabled").isBoolean()) {
            updated = state.enable(userId, user.get("enabled").asBoolean());
        }
        JsonNode ignoreFirstUse = user.path("options").path("ignore_change_password_upon_first_use");
        if (ignoreFirstUse.isBoolean()) {
            updated = state.ignoreChangePasswordUponFirstUse(userId, ignoreFirstUse.asBoolean());
        }
        if (user.path("password").isTextual()) {
            updated = state.resetPassword(userId, user.get("password").asText());
        }
        return sendJson(ex, 200, wrapUser(updated));
    }

    private int deleteUser(HttpExchange ex, String userId) throws IOException {
        requireAdmin(ex, "identity:delete_user");
        state.deleteUser(userId);
        return send(ex, 204, null, null);
    }

    private ObjectNode wrapUser(User u) {
        ObjectNode body = json.createObjectNode();
        body.set("user", user(u));
        return body;
    }

    private ObjectNode user(User u) {
        ObjectNode node = json.createObjectNode().put("id", u.id).put("name", u.name).put("domain_id", u.domainId)
                .put("enabled", u.enabled);
        node.putNull("password_expires_at");
        node.putObject("options");
        return node;
    }

    // ---- projects -------------------------------------------------------------------------------------------------

    private int listProjects(HttpExchange ex) throws IOException {
        requireAdmin(ex, "identity:list_projects");
        Map<String, String> q = query(ex);
        ArrayNode list = json.createArrayNode();
        state.findProject(q.getOrDefault("name", ""), q.getOrDefault("domain_id", DEFAULT_DOMAIN_ID))
                .ifPresent(p -> list.add(project(p)));
        ObjectNode body = json.createObjectNode();
        body.set("projects", list);
        return sendJson(ex, 200, body);
    }

    private int createProject(HttpExchange ex) throws IOException {
        requireAdmin(ex, "identity:create_project");
        JsonNode project = body(ex).path("project");
        Project created = state.createProject(project.path("name").asText(),
                project.path("domain_id").asText(DEFAULT_DOMAIN_ID));
        ObjectNode body = json.createObjectNode();
        body.set("project", project(created));
        return sendJson(ex, 201, body);
    }

    private ObjectNode project(Project p) {
        return json.createObjectNode().put("id", p.id()).put("name", p.name()).put("domain_id", p.domainId())
                .put("enabled", true);
    }

    private ObjectNode role(Role r) {
        return json.createObjectNode().put("id", r.id()).put("name", r.name());
    }

    private ObjectNode domain(Domain d) {
        return json.createObjectNode().put("id", d.id()).put("name", d.name());
    }

    // ---- application credentials ----------------------------------------------------------------------------------

    private int createApplicationCredential(HttpExchange ex, String userId) throws IOException {
        Token caller = caller(ex);
        JsonNode request = body(ex).path("application_credential");
        if (!request.path("name").isTextual()) {
            throw KeystoneApiError.badRequest("'name' is a required property");
        }
        List<String> roleIds = null;
        if (request.has("roles")) {
            roleIds = new ArrayList<>();
            for (JsonNode r : request.get("roles")) {
                Optional<Role> role = r.hasNonNull("id") ? state.role(r.get("id").asText())
                        : state.roleByName(r.path("name").asText());
                roleIds.add(role.orElseThrow(() -> new KeystoneApiError(404, "Could not find role: "
                        + (r.hasNonNull("id") ? r.get("id").asText() : r.path("name").asText()) + ".")).id());
            }
        }
        Instant expiresAt = request.hasNonNull("expires_at") ? parseTime(request.get("expires_at").asText()) : null;
        ApplicationCredential created = state.createApplicationCredential(caller, userId,
                request.get("name").asText(), request.path("description").asText(null),
                request.path("secret").asText(null), roleIds, expiresAt,
                request.path("unrestricted").asBoolean(false));
        ObjectNode body = json.createObjectNode();
        ObjectNode c = applicationCredential(created);
        c.put("secret", created.secret());
        body.set("application_credential", c);
        return sendJson(ex, 201, body);
    }

    private int listApplicationCredentials(HttpExchange ex, String userId) throws IOException {
        Token caller = caller(ex);
        ArrayNode list = json.createArrayNode();
        state.applicationCredentials(caller, userId, query(ex).get("name"))
                .forEach(c -> list.add(applicationCredential(c)));
        ObjectNode body = json.createObjectNode();
        body.set("application_credentials", list);
        return sendJson(ex, 200, body);
    }

    private int getApplicationCredential(HttpExchange ex, String userId, String id) throws IOException {
        Token caller = caller(ex);
        ApplicationCredential found = state.applicationCredentials(caller, userId, null).stream()
                .filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new KeystoneApiError(404, "Could not find Application Credential: " + id + "."));
        ObjectNode body = json.createObjectNode();
        body.set("application_credential", applicationCredential(found));
        return sendJson(ex, 200, body);
    }

    private int deleteApplicationCredential(HttpExchange ex, String userId, String id) throws IOException {
        state.deleteApplicationCredential(caller(ex), userId, id);
        return send(ex, 204, null, null);
    }

    private ObjectNode applicationCredential(ApplicationCredential c) {
        ObjectNode node = json.createObjectNode().put("id", c.id()).put("name", c.name())
                .put("description", c.description()).put("user_id", c.userId()).put("project_id", c.projectId());
        node.putNull("system");
        if (c.expiresAt() == null) {
            node.putNull("expires_at");
        } else {
            node.put("expires_at", TIME.format(c.expiresAt()));
        }
        if (c.unrestricted()) {
            node.put("unrestricted", true);
        } else {
            node.putNull("unrestricted");
        }
        ArrayNode roles = node.putArray("roles");
        c.roleIds().forEach(id -> state.role(id).ifPresent(r -> roles.add(role(r))));
        return node;
    }

    private static Instant parseTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutZone) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw KeystoneApiError.badRequest("Invalid input for field 'expires_at': " + text);
            }
        }
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    private JsonNode body(HttpExchange ex) throws IOException {
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        byte[] bytes = ex.getRequestBody().readAllBytes();
        try {
            if (contentType == null || !contentType.startsWith("application/json")) {
                throw new IOException("not JSON");
            }
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IOException("not an object");
            }
            return node;
        } catch (IOException e) {
            throw KeystoneApiError.badRequest("Expecting to find valid JSON in request body. The server could not "
                    + "comply with the request since it is either malformed or otherwise incorrect. The client is "
                    + "assumed to be in error.");
        }
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                q.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return q;
    }

    private int sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        return send(ex, status, "application/json", json.writeValueAsString(body));
    }

    private static int send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return status;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.append("Aa1!").toString();
    }

    public static final class Builder {
        private String adminPassword;
        private boolean tls;
        private Instant start = Instant.now();
        private boolean realTime;

        private Builder() {
        }

        public Builder adminPassword(String adminPassword) {
            this.adminPassword = adminPassword;
            return this;
        }

        /** Serve HTTPS with a fresh self-signed certificate for 127.0.0.1 ({@link #caCertificatePem()}). */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /**
         * The fake's clock follows the system clock (plus what {@link #elapse} adds), for code under test that waits
         * in real time, such as a whole service. By default the clock stands still until a test moves it.
         */
        public Builder realTime() {
            this.realTime = true;
            return this;
        }

        /** Where the fake's clock starts (moved to just after that second). Default: now. */
        public Builder startingAt(Instant start) {
            this.start = start;
            return this;
        }

        public FakeKeystone start() {
            try {
                return new FakeKeystone(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the fake Keystone", e);
            }
        }
    }
}
