package io.rotor.testkit.rec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A stateful fake of the Redis Enterprise cluster REST API, as far as credential rotation goes: users with password
 * lists ({@code POST/PUT/DELETE /v1/users/password}), {@code GET/POST /v1/users}, {@code GET/DELETE /v1/users/{uid}},
 * the roles of role-based access control ({@code GET /v1/roles}), HTTP Basic auth on every call, the lockout counter
 * of real clusters ({@code GET /v1/cluster/policy}: 5 failed logins lock the account for 30 minutes; the counter goes
 * back to zero only after 15 minutes without a failed login, not on a success), users' {@code status}
 * ({@code active}/{@code locked}), an admin's password reset that unlocks ({@code PUT /v1/users/{uid}}), error answers as JSON {@code {"error_code","description"}} with the
 * documented codes and statuses (409 {@code email_already_exists} / {@code name_already_exists} when a user exists),
 * and TLS with a certificate from a {@link TestCertificateAuthority}.
 *
 * <p>Variants of real clusters are switches: builds that ignore {@code username} on POST (some 7.8.x / 7.22.0), 7.4
 * clusters that require {@code old_password} on POST and PUT ({@link #requiresOldPassword}), and clusters without
 * role-based access control ({@link #rbac}). Where the documentation is silent the fake makes a choice, listed in the
 * testkit README.
 */
public final class RedisEnterpriseFake implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisEnterpriseFake.class);
    private static final Pattern USER_PATH = Pattern.compile("/v1/users/(\\d+)");

    private final HttpServer server;
    private final ExecutorService executor;
    private final RecUsers users;
    private final TestCertificateAuthority ca;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean ignoresUsernameOnPost;
    private volatile boolean passwordComplexity;
    private volatile boolean requiresOldPassword;
    private volatile boolean rbac;
    private volatile int failNext;
    private volatile int failStatus = 503;
    private volatile int failAfterLogin;
    private volatile int failAfterLoginStatus = 504;

    private RedisEnterpriseFake(Builder builder) {
        this.users = new RecUsers(builder.clock);
        this.ca = builder.ca != null ? builder.ca : TestCertificateAuthority.create("Rotor test CA");
        this.ignoresUsernameOnPost = builder.ignoresUsernameOnPost;
        this.passwordComplexity = builder.passwordComplexity;
        this.requiresOldPassword = builder.requiresOldPassword;
        this.rbac = builder.rbac;
        builder.users.forEach(u -> users.add(u.get(0), u.get(1), u.get(2)));
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (builder.tls) {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(ca.issue("localhost", "127.0.0.1").serverContext()));
                server = https;
            } else {
                server = HttpServer.create(address, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Redis Enterprise fake", e);
        }
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "rec-fake");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/v1/", this::handle);
        server.start();
        LOG.infof("Redis Enterprise fake on %s", url());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The API's base URL, such as {@code https://localhost:41234} (the certificate names localhost and 127.0.0.1). */
    public String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://localhost:" + server.getAddress().getPort();
    }

    public TestCertificateAuthority certificateAuthority() {
        return ca;
    }

    /** Adds a user with one password and a management role ({@code admin}, {@code db_viewer}, ...); returns its uid. */
    public int addUser(String email, String role, String password) {
        return users.add(email, role, password).uid;
    }

    /** Adds a user whose display name differs from its e-mail; returns its uid. */
    public int addUser(String email, String name, String role, String password) {
        return users.add(email, name, role, List.of(), password).uid;
    }

    /** Adds an RBAC role ({@code management} {@code admin}, {@code db_viewer}, ...); returns its uid. */
    public int addRole(String name, String management) {
        return users.addRole(name, management).uid();
    }

    /** Gives the user one management role instead of what it had, as an operator editing it in the admin console. */
    public void setRole(String email, String management) {
        users.setRole(users.find(email).orElseThrow(() -> new IllegalArgumentException("no user " + email)),
                management);
    }

    /** Whether the user may administer the cluster (role {@code admin}, or an RBAC role with management admin). */
    public boolean isAdmin(String email) {
        return users.find(email).map(users::admin).orElse(false);
    }

    /** The RBAC role uids the user was created with ({@code role_uids}); empty when it was given a {@code role}. */
    public List<Integer> roleUidsGiven(String email) {
        return users.find(email).map(u -> u.roleUids).orElse(List.of());
    }

    /** The deprecated {@code role} the user was created with, if it was given one. */
    public Optional<String> roleGiven(String email) {
        return users.find(email).map(u -> u.role);
    }

    /** Whether the password is in the user's list, asked without logging in (a login could count as a failure). */
    public boolean accepts(String email, String password) {
        return users.passwords(email).contains(password);
    }

    public int passwordCount(String email) {
        return users.passwords(email).size();
    }

    public boolean userExists(String email) {
        return users.find(email).isPresent();
    }

    public Optional<Integer> uidOf(String email) {
        return users.find(email).map(u -> u.uid);
    }

    /** Failed logins of the user in the current 15-minute window. */
    public int failedLogins(String email) {
        return users.failuresInWindow(email);
    }

    public int failedLoginsTotal(String email) {
        return users.failedLoginsTotal(email);
    }

    public boolean locked(String email) {
        return users.locked(email);
    }

    /** How many times any account was locked. */
    public int lockouts() {
        return users.lockouts();
    }

    public int requestCount() {
        return requests.get();
    }

    public void ignoresUsernameOnPost(boolean ignores) {
        this.ignoresUsernameOnPost = ignores;
    }

    public void passwordComplexity(boolean enabled) {
        this.passwordComplexity = enabled;
    }

    /** As a 7.4 cluster: POST and PUT /v1/users/password need {@code old_password}, one of the user's passwords. */
    public void requiresOldPassword(boolean requires) {
        this.requiresOldPassword = requires;
    }

    /**
     * Role-based access control (the default): {@code GET /v1/roles} lists the roles and users show {@code role_uids}.
     * Off, the fake is a cluster from before it: {@code GET /v1/roles} answers 501, users show {@code role}, and
     * {@code role_uids} is refused.
     */
    public void rbac(boolean enabled) {
        this.rbac = enabled;
    }

    /**
     * The next {@code count} requests are authenticated — a wrong password counts towards the lockout — and then
     * answered with {@code status} and changed nothing, as a gateway that times out (504) after the cluster counted the
     * login.
     */
    public void failAfterLogin(int count, int status) {
        this.failAfterLoginStatus = status;
        this.failAfterLogin = count;
    }

    /** The cluster's lockout policy, as {@code rladmin tune cluster login_lockout_*} sets it. */
    public void lockoutPolicy(int threshold, Duration duration, Duration counterResetAfter) {
        users.policy(new RecUsers.LockoutPolicy(threshold, duration, counterResetAfter));
    }

    /** Fails the user's logins until the cluster locks it, as workloads with a stale password would. */
    public void lockOut(String email) {
        for (int i = 0; i < 1000 && !users.locked(email); i++) {
            users.login(email, "a stale password " + i);
        }
    }

    /** The user's {@code status} as the cluster lists it: {@code locked} or {@code active}. */
    public String status(String email) {
        return users.locked(email) ? "locked" : "active";
    }

    /** The next {@code count} requests fail with {@code status} before anything is looked at, as an overloaded node. */
    public void failNext(int count, int status) {
        this.failStatus = status;
        this.failNext = count;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            Answer answer = route(exchange);
            byte[] body = json.writeValueAsBytes(answer.body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (answer.status == 401) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"rec\"");
            }
            exchange.sendResponseHeaders(answer.status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private Answer route(HttpExchange exchange) throws IOException {
        synchronized (this) {
            if (failNext > 0) {
                failNext--;
                return error(failStatus, "internal_error", "the cluster is busy");
            }
        }
        RecUsers.User caller;
        RecUsers.Login login = authenticate(exchange);
        synchronized (this) {
            if (failAfterLogin > 0) {
                failAfterLogin--;
                return error(failAfterLoginStatus, "gateway_timeout", "the gateway gave up waiting for the cluster");
            }
        }
        if (login == RecUsers.Login.LOCKED) {
            // The documentation does not say what a locked account's login answers; the fake says so in the
            // description (see testkit/README.md), and an admin sees status: locked in GET /v1/users.
            return error(401, "unauthorized", "authentication failed: the user is locked");
        }
        if (login != RecUsers.Login.OK) {
            return error(401, "unauthorized", "authentication failed");
        }
        caller = users.find(authenticatedEmail(exchange)).orElseThrow();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        JsonNode body = readBody(exchange);
        if (body == null) {
            return error(400, "invalid_schema", "the body is not JSON");
        }
        if (path.equals("/v1/users/password")) {
            return switch (method) {
                case "POST" -> setPassword(caller, body, false);
                case "PUT" -> setPassword(caller, body, true);
                case "DELETE" -> deletePassword(caller, body);
                default -> error(405, "method_not_allowed", method + " is not supported here");
            };
        }
        if (path.equals("/v1/cluster/policy")) {
            if (!method.equals("GET")) {
                return error(405, "method_not_allowed", method + " is not supported here");
            }
            if (!users.admin(caller)) {
                return forbidden();
            }
            RecUsers.LockoutPolicy policy = users.policy();
            return new Answer(200, Map.of("login_lockout_threshold", policy.threshold(),
                    "login_lockout_duration", policy.duration().toSeconds(),
                    "login_lockout_counter_reset_after", policy.counterResetAfter().toSeconds()));
        }
        if (path.equals("/v1/roles")) {
            if (!method.equals("GET")) {
                return error(405, "method_not_allowed", method + " is not supported here");
            }
            if (!rbac) {
                return error(501, "unsupported_resource", "the cluster does not support roles");
            }
            return new Answer(200, users.roles().stream().map(r -> Map.of("uid", r.uid(), "name", r.name(),
                    "management", r.management())).toList());
        }
        if (path.equals("/v1/users")) {
            return switch (method) {
                case "GET" -> users.admin(caller) ? new Answer(200, users.all().stream().map(this::view).toList())
                        : forbidden();
                case "POST" -> createUser(caller, body);
                default -> error(405, "method_not_allowed", method + " is not supported here");
            };
        }
        Matcher m = USER_PATH.matcher(path);
        if (m.matches()) {
            int uid = Integer.parseInt(m.group(1));
            Optional<RecUsers.User> user = users.byUid(uid);
            if (!users.admin(caller) && caller.uid != uid) {
                return forbidden();
            }
            if (user.isEmpty()) {
                return error(404, "user_not_exist", "no user " + uid);
            }
            return switch (method) {
                case "GET" -> new Answer(200, view(user.get()));
                case "PUT" -> resetPassword(caller, user.get(), body);
                case "DELETE" -> {
                    users.remove(uid);
                    yield new Answer(200, Map.of());
                }
                default -> error(405, "method_not_allowed", method + " is not supported here");
            };
        }
        return error(404, "not_found", "no such endpoint");
    }

    private RecUsers.Login authenticate(HttpExchange exchange) {
        String decoded = basicCredentials(exchange);
        int colon = decoded == null ? -1 : decoded.indexOf(':');
        if (colon < 0) {
            return RecUsers.Login.UNKNOWN_USER;
        }
        return users.login(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    private static String authenticatedEmail(HttpExchange exchange) {
        String decoded = basicCredentials(exchange);
        return decoded.substring(0, decoded.indexOf(':'));
    }

    private static String basicCredentials(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An admin sets a user's password: the list becomes that one password, and a locked user is unlocked. */
    private Answer resetPassword(RecUsers.User caller, RecUsers.User user, JsonNode body) {
        if (!users.admin(caller)) {
            return forbidden();
        }
        String password = text(body, "password");
        if (password == null) {
            return error(400, "invalid_schema", "only password may be changed here");
        }
        users.resetPassword(user, password);
        return new Answer(200, view(user));
    }

    /** POST adds a password to the list; PUT replaces the list with it. */
    private Answer setPassword(RecUsers.User caller, JsonNode body, boolean replace) {
        String newPassword = text(body, "new_password");
        if (newPassword == null) {
            return error(400, "invalid_schema", "new_password is required");
        }
        Optional<RecUsers.User> target = target(caller, body, replace || !ignoresUsernameOnPost);
        if (target.isEmpty()) {
            return error(404, "user_not_exist", "no such user");
        }
        RecUsers.User user = target.get();
        if (user != caller && !users.admin(caller)) {
            return forbidden();
        }
        if (requiresOldPassword) {
            String old = text(body, "old_password");
            if (old == null) {
                return error(400, "invalid_schema", "old_password is required");
            }
            if (!users.passwords(user.email).contains(old)) {
                return error(400, "old_password_mismatch", "old_password is not one of the user's passwords");
            }
        }
        if (passwordComplexity && !complexEnough(newPassword, user.email)) {
            return error(400, "password_not_complex", "the password does not meet the complexity requirements");
        }
        synchronized (users) {
            if (replace) {
                users.mutate(user, () -> {
                    user.passwords.clear();
                    user.passwords.add(newPassword);
                });
            } else if (user.passwords.contains(newPassword)) {
                return error(400, "new_password_same_as_current", "the new password is already one of the user's");
            } else {
                users.mutate(user, () -> user.passwords.add(newPassword));
            }
        }
        return new Answer(200, Map.of());
    }

    private Answer deletePassword(RecUsers.User caller, JsonNode body) {
        String old = text(body, "old_password");
        if (old == null) {
            return error(400, "invalid_schema", "old_password is required");
        }
        Optional<RecUsers.User> target = target(caller, body, true);
        if (target.isEmpty()) {
            return error(404, "user_not_exist", "no such user");
        }
        RecUsers.User user = target.get();
        if (user != caller && !users.admin(caller)) {
            return forbidden();
        }
        synchronized (users) {
            if (!user.passwords.contains(old)) {
                return error(404, "password_not_found", "the user has no such password");
            }
            if (user.passwords.size() == 1) {
                return error(400, "cannot_delete_last_password", "a user must keep at least one password");
            }
            users.mutate(user, () -> user.passwords.remove(old));
        }
        return new Answer(200, Map.of());
    }

    private Answer createUser(RecUsers.User caller, JsonNode body) {
        if (!users.admin(caller)) {
            return forbidden();
        }
        String email = text(body, "email");
        String password = text(body, "password");
        if (email == null || password == null) {
            return error(400, "invalid_schema", "email and password are required");
        }
        String name = Optional.ofNullable(text(body, "name")).orElse(email);
        String role = text(body, "role");
        JsonNode roleUidsNode = body.get("role_uids");
        List<Integer> roleUids = new ArrayList<>();
        if (roleUidsNode != null && !roleUidsNode.isNull()) {
            if (!rbac) {
                return error(400, "invalid_schema", "role_uids is not supported: the cluster has no roles");
            }
            if (!roleUidsNode.isArray()) {
                return error(400, "invalid_schema", "role_uids must be a list of role uids");
            }
            for (JsonNode uid : roleUidsNode) {
                if (!uid.canConvertToInt() || users.role(uid.asInt()).isEmpty()) {
                    return error(400, "invalid_schema", "role_uids names a role that does not exist: " + uid);
                }
                roleUids.add(uid.asInt());
            }
        }
        if (role == null && roleUids.isEmpty()) {
            return error(400, "invalid_schema", "a user needs a role or role_uids");
        }
        synchronized (users) {
            if (users.find(email).isPresent()) {
                return error(409, "email_already_exists", "the given email is already taken");
            }
            if (users.findByName(name).isPresent()) {
                return error(409, "name_already_exists", "the given name is already taken");
            }
            if (passwordComplexity && !complexEnough(password, email)) {
                return error(400, "password_not_complex", "the password does not meet the complexity requirements");
            }
            return new Answer(200, view(users.add(email, name, roleUids.isEmpty() ? role : null, roleUids, password)));
        }
    }

    private Optional<RecUsers.User> target(RecUsers.User caller, JsonNode body, boolean honourUsername) {
        String username = text(body, "username");
        if (username == null || !honourUsername) {
            return Optional.of(caller);
        }
        return users.find(username);
    }

    /** REC's rules when password_complexity is on. */
    static boolean complexEnough(String password, String email) {
        if (password.length() < 8 || password.contains(email)) {
            return false;
        }
        boolean upper = password.chars().anyMatch(Character::isUpperCase);
        boolean lower = password.chars().anyMatch(Character::isLowerCase);
        boolean digit = password.chars().anyMatch(Character::isDigit);
        boolean special = password.chars().anyMatch(c -> !Character.isLetterOrDigit(c));
        int run = 1;
        for (int i = 1; i < password.length(); i++) {
            run = password.charAt(i) == password.charAt(i - 1) ? run + 1 : 1;
            if (run > 3) {
                return false;
            }
        }
        return upper && lower && digit && special;
    }

    private Map<String, Object> view(RecUsers.User user) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("uid", user.uid);
        view.put("email", user.email);
        view.put("name", user.name);
        view.put("status", users.locked(user) ? "locked" : "active");
        // An RBAC cluster shows role_uids instead of role (also for a user given the deprecated role).
        if (rbac) {
            view.put("role_uids", users.roleUids(user));
        } else {
            view.put("role", user.role);
        }
        return view;
    }

    private JsonNode readBody(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        if (bytes.length == 0) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(bytes);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Answer forbidden() {
        return error(403, "unauthorized_action", "the user may not do this");
    }

    /** The error body real clusters answer with: {@code error_code} and a readable {@code description}. */
    private static Answer error(int status, String code, String description) {
        return new Answer(status, Map.of("error_code", code, "description", description));
    }

    private record Answer(int status, Object body) {
    }

    /** Configures the fake. */
    public static final class Builder {

        private Clock clock = Clock.systemUTC();
        private boolean tls = true;
        private TestCertificateAuthority ca;
        private boolean ignoresUsernameOnPost;
        private boolean passwordComplexity;
        private boolean requiresOldPassword;
        private boolean rbac = true;
        private final List<List<String>> users = new ArrayList<>();

        private Builder() {
        }

        /** The clock the lockout window runs on; tests move it instead of waiting 15 minutes. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Plain HTTP instead of TLS (never for Rotor's own tests of TLS). */
        public Builder plainHttp() {
            this.tls = false;
            return this;
        }

        public Builder certificateAuthority(TestCertificateAuthority ca) {
            this.ca = ca;
            return this;
        }

        public Builder ignoresUsernameOnPost(boolean ignores) {
            this.ignoresUsernameOnPost = ignores;
            return this;
        }

        public Builder passwordComplexity(boolean enabled) {
            this.passwordComplexity = enabled;
            return this;
        }

        /** As a 7.4 cluster: {@code old_password} is required on POST and PUT /v1/users/password. */
        public Builder requiresOldPassword(boolean requires) {
            this.requiresOldPassword = requires;
            return this;
        }

        /** Role-based access control on (the default) or off; see {@link RedisEnterpriseFake#rbac(boolean)}. */
        public Builder rbac(boolean enabled) {
            this.rbac = enabled;
            return this;
        }

        public Builder user(String email, String role, String password) {
            users.add(List.of(email, role, password));
            return this;
        }

        public RedisEnterpriseFake start() {
            return new RedisEnterpriseFake(this);
        }
    }
}
