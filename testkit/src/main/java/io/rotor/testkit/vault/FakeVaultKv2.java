package io.rotor.testkit.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A stateful fake of HashiCorp Vault's KV secrets engine, version 2, over plain HTTP on 127.0.0.1 — the part of the
 * API a secret writer uses, with Vault's status codes and JSON shapes:
 * <ul>
 * <li>{@code GET /v1/<mount>/data/<path>[?version=n]}: 200 with {@code data.data} and {@code data.metadata}; 404
 * {@code {"errors":[]}} for a path never written, or a version deleted (then with metadata);</li>
 * <li>{@code POST|PUT /v1/<mount>/data/<path>} with {@code {"options":{"cas":n},"data":{...}}}: a new version; 400
 * "check-and-set parameter did not match the current version" when {@code cas} is not the current version (0 = must not
 * exist); with {@link Builder#casRequired()} a write without {@code cas} is refused;</li>
 * <li>{@code DELETE /v1/<mount>/data/<path>}: soft-deletes the latest version (204);</li>
 * <li>{@code GET /v1/<mount>/metadata/<path>}: current and oldest version, per-version times.</li>
 * </ul>
 * Every request needs {@code X-Vault-Token} equal to the configured token (else 403 "permission denied"); an unknown
 * mount gives 404 "no handler for route". {@link #failNext} answers the next requests with an error (a sealed Vault:
 * 503). Bodies are never logged; {@link #requests()} records method and path only.
 */
public final class FakeVaultKv2 implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATA = "/data/";
    private static final String METADATA = "/metadata/";

    /** One version of one path. */
    public record Version(int number, Map<String, Object> data, Instant createdTime, Instant deletionTime) {
        public boolean deleted() {
            return deletionTime != null;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String token;
    private final Set<String> mounts;
    private final boolean casRequired;
    private final Clock clock;
    private final Map<String, List<Version>> store = new ConcurrentHashMap<>();
    private final Map<String, Integer> writes = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Integer> injectedFailures = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<String, Object>> interleaved = new ConcurrentHashMap<>();

    private FakeVaultKv2(Builder b) throws IOException {
        this.token = b.token;
        this.mounts = Set.copyOf(b.mounts);
        this.casRequired = b.casRequired;
        this.clock = b.clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fake-vault");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A fake with mount {@code secret} and the given root token. */
    public static FakeVaultKv2 start(String token) {
        return builder().token(token).start();
    }

    /** The address to configure, such as {@code http://127.0.0.1:41234}. */
    public String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String token() {
        return token;
    }

    /** Seeds a path as if someone had written it (counts as a version, not as a write through the API). */
    public int put(String mount, String path, Map<String, Object> data) {
        return append(key(mount, path), data);
    }

    /** The latest version of a path, unless it was never written or the latest is deleted. */
    public Optional<Version> current(String mount, String path) {
        List<Version> versions = store.get(key(mount, path));
        if (versions == null || versions.isEmpty()) {
            return Optional.empty();
        }
        Version latest = versions.get(versions.size() - 1);
        return latest.deleted() ? Optional.empty() : Optional.of(latest);
    }

    public List<Version> versions(String mount, String path) {
        return List.copyOf(store.getOrDefault(key(mount, path), List.of()));
    }

    /** How many writes (POST/PUT that created a version) arrived through the API for a path. */
    public int writeCount(String mount, String path) {
        return writes.getOrDefault(key(mount, path), 0);
    }

    /** Answers the next {@code times} requests with {@code status} (e.g. 503 as a sealed Vault does). */
    public void failNext(int status, int times) {
        for (int i = 0; i < times; i++) {
            injectedFailures.add(status);
        }
    }

    /**
     * Just before the next API write to this path is handled, another writer's version with {@code data} lands
     * first: the write's check-and-set then no longer matches, as in a real race.
     */
    public void interleaveBeforeNextWrite(String mount, String path, Map<String, Object> data) {
        interleaved.put(key(mount, path), Map.copyOf(data));
    }

    /** {@code METHOD /v1/path} of every request so far, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(method + " " + path);
            Integer failure = injectedFailures.isEmpty() ? null : injectedFailures.remove(0);
            if (failure != null) {
                respond(exchange, failure, errors(failure == 503 ? "Vault is sealed" : "injected failure"));
                return;
            }
            if (!token.equals(exchange.getRequestHeaders().getFirst("X-Vault-Token"))) {
                respond(exchange, 403, errors("permission denied"));
                return;
            }
            String rest = path.substring("/v1/".length());
            int slash = rest.indexOf('/');
            String mount = slash < 0 ? rest : rest.substring(0, slash);
            String after = slash < 0 ? "" : rest.substring(slash);
            if (!mounts.contains(mount)) {
                respond(exchange, 404, errors("no handler for route \"" + rest + "\". route entry not found."));
                return;
            }
            if (after.startsWith(DATA) && after.length() > DATA.length()) {
                String key = key(mount, decode(after.substring(DATA.length())));
                switch (method) {
                    case "GET" -> read(exchange, key);
                    case "POST", "PUT" -> write(exchange, key);
                    case "DELETE" -> delete(exchange, key);
                    default -> respond(exchange, 405, errors("unsupported operation"));
                }
            } else if (after.startsWith(METADATA) && after.length() > METADATA.length() && "GET".equals(method)) {
                metadata(exchange, key(mount, decode(after.substring(METADATA.length()))));
            } else {
                respond(exchange, 404, errors("no handler for route \"" + rest + "\". route entry not found."));
            }
        } catch (RuntimeException e) {
            respond(exchange, 500, errors("internal error"));
        }
    }

    private void read(HttpExchange exchange, String key) throws IOException {
        List<Version> versions = store.get(key);
        if (versions == null || versions.isEmpty()) {
            respond(exchange, 404, errors());
            return;
        }
        int wanted = queryVersion(exchange);
        Version version = wanted == 0 ? versions.get(versions.size() - 1)
                : versions.stream().filter(v -> v.number() == wanted).findFirst().orElse(null);
        if (version == null) {
            respond(exchange, 404, errors());
            return;
        }
        ObjectNode body = envelope();
        ObjectNode data = body.putObject("data");
        if (version.deleted()) {
            data.putNull("data");
        } else {
            data.set("data", JSON.valueToTree(version.data()));
        }
        data.set("metadata", versionMetadata(version));
        respond(exchange, version.deleted() ? 404 : 200, body);
    }

    private synchronized void write(HttpExchange exchange, String key) throws IOException {
        JsonNode request;
        try (InputStream in = exchange.getRequestBody()) {
            request = JSON.readTree(in);
        } catch (IOException e) {
            respond(exchange, 400, errors("failed to parse JSON input"));
            return;
        }
        if (request == null || !request.path("data").isObject()) {
            respond(exchange, 400, errors("no data provided"));
            return;
        }
        Map<String, Object> racing = interleaved.remove(key);
        if (racing != null) {
            append(key, racing);
        }
        JsonNode cas = request.path("options").path("cas");
        List<Version> versions = store.getOrDefault(key, List.of());
        int current = versions.isEmpty() ? 0 : versions.get(versions.size() - 1).number();
        if (cas.isMissingNode() || cas.isNull()) {
            if (casRequired) {
                respond(exchange, 400, errors("check-and-set parameter required for this call"));
                return;
            }
        } else if (cas.asInt() != current) {
            respond(exchange, 400, errors("check-and-set parameter did not match the current version"));
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = JSON.convertValue(request.get("data"), LinkedHashMap.class);
        int number = append(key, data);
        writes.merge(key, 1, Integer::sum);
        ObjectNode body = envelope();
        body.set("data", versionMetadata(store.get(key).get(number - 1)));
        respond(exchange, 200, body);
    }

    private synchronized void delete(HttpExchange exchange, String key) throws IOException {
        List<Version> versions = store.get(key);
        if (versions != null && !versions.isEmpty()) {
            Version latest = versions.get(versions.size() - 1);
            if (!latest.deleted()) {
                versions.set(versions.size() - 1, new Version(latest.number(), latest.data(), latest.createdTime(),
                        clock.instant()));
            }
        }
        exchange.sendResponseHeaders(204, -1);
    }

    private void metadata(HttpExchange exchange, String key) throws IOException {
        List<Version> versions = store.get(key);
        if (versions == null || versions.isEmpty()) {
            respond(exchange, 404, errors());
            return;
        }
        ObjectNode body = envelope();
        ObjectNode data = body.putObject("data");
        data.put("cas_required", casRequired);
        data.put("created_time", versions.get(0).createdTime().toString());
        data.put("current_version", versions.get(versions.size() - 1).number());
        data.put("max_versions", 0);
        data.put("oldest_version", versions.get(0).number());
        data.put("updated_time", versions.get(versions.size() - 1).createdTime().toString());
        data.putNull("custom_metadata");
        ObjectNode all = data.putObject("versions");
        for (Version v : versions) {
            ObjectNode node = all.putObject(Integer.toString(v.number()));
            node.put("created_time", v.createdTime().toString());
            node.put("deletion_time", v.deletionTime() == null ? "" : v.deletionTime().toString());
            node.put("destroyed", false);
        }
        respond(exchange, 200, body);
    }

    private synchronized int append(String key, Map<String, Object> data) {
        List<Version> versions = store.computeIfAbsent(key, k -> new ArrayList<>());
        int number = versions.size() + 1;
        versions.add(new Version(number, Collections.unmodifiableMap(new LinkedHashMap<>(data)), clock.instant(), null));
        return number;
    }

    private static ObjectNode versionMetadata(Version v) {
        ObjectNode m = JSON.createObjectNode();
        m.put("created_time", v.createdTime().toString());
        m.putNull("custom_metadata");
        m.put("deletion_time", v.deletionTime() == null ? "" : v.deletionTime().toString());
        m.put("destroyed", false);
        m.put("version", v.number());
        return m;
    }

    private static ObjectNode envelope() {
        ObjectNode body = JSON.createObjectNode();
        body.put("request_id", UUID.randomUUID().toString());
        body.put("lease_id", "");
        body.put("renewable", false);
        body.put("lease_duration", 0);
        body.putNull("wrap_info");
        body.putNull("warnings");
        body.putNull("auth");
        return body;
    }

    private static ObjectNode errors(String... messages) {
        ObjectNode body = JSON.createObjectNode();
        var array = body.putArray("errors");
        for (String m : messages) {
            array.add(m);
        }
        return body;
    }

    private static int queryVersion(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return 0;
        }
        Map<String, String> params = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        try {
            return Integer.parseInt(params.getOrDefault("version", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String key(String mount, String path) {
        return mount + "/" + path;
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Configures a fake; {@link #start()} binds it to a free loopback port. */
    public static final class Builder {
        private String token = "root";
        private final List<String> mounts = new ArrayList<>(List.of("secret"));
        private boolean casRequired;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Adds a KV v2 mount besides {@code secret}. */
        public Builder mount(String mount) {
            mounts.add(mount);
            return this;
        }

        /** Every write must carry {@code options.cas}, as with {@code cas_required=true} on the mount. */
        public Builder casRequired() {
            this.casRequired = true;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public FakeVaultKv2 start() {
            try {
                return new FakeVaultKv2(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the fake Vault", e);
            }
        }
    }
}
