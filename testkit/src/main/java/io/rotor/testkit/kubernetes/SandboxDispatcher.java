package io.rotor.testkit.kubernetes;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.zjsonpatch.JsonPatch;

/**
 * fabric8's CRUD dispatcher with the API-server behaviour Rotor's tests rely on added:
 * <ul>
 * <li>Deployments, StatefulSets, DaemonSets and ReplicaSets have a status subresource: status in a create is dropped
 * and writes to the main resource cannot change it, so a client's stale copy never overwrites what the fake
 * controller wrote;</li>
 * <li>defaults on create and replace ({@link ApiServerDefaults}), and {@code stringData} folded into {@code data}
 * on every write of a Secret;</li>
 * <li>a {@code /scale} subresource that reads and writes an {@code autoscaling/v1 Scale} — the stock mock stores a
 * Scale body as if it were the workload;</li>
 * <li>{@code GET /version}, as readiness checks use it;</li>
 * <li>JSON merge patches that follow RFC 7386 — the stock mock merges with Jackson, which stores {@code null}
 * instead of deleting the field and appends to arrays instead of replacing them. The merge is computed here and
 * handed to the stock handler as the equivalent JSON patch, so its status and resourceVersion rules still apply.</li>
 * </ul>
 */
final class SandboxDispatcher extends KubernetesCrudDispatcher {

    /** Create (collection) and replace (item) paths of the types {@link ApiServerDefaults} knows; group 1 or 2 names it. */
    private static final Pattern WRITE_PATH = Pattern.compile("^(?:/apis/apps/v1/namespaces/[^/]+/"
            + "(deployments|statefulsets|daemonsets)|/api/v1/namespaces/[^/]+/(secrets))(?:/[^/?]+)?(?:\\?.*)?$");
    private static final Pattern SECRET_PATH = Pattern.compile("^/api/v1/namespaces/[^/]+/secrets(?:[/?].*)?$");
    private static final Pattern SCALE_PATH = Pattern.compile(
            "^(/apis/apps/v1/namespaces/([^/]+)/(deployments|statefulsets|replicasets)/([^/?]+))/scale(?:\\?.*)?$");
    private static final String MERGE_PATCH = "application/merge-patch+json";
    /** Tree work only (no model classes), so a plain mapper does. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiCallRecorder recorder;

    SandboxDispatcher(ApiCallRecorder recorder) {
        super(List.of(
                builtIn("apps", "v1", "deployments", "Deployment"),
                builtIn("apps", "v1", "statefulsets", "StatefulSet"),
                builtIn("apps", "v1", "daemonsets", "DaemonSet"),
                builtIn("apps", "v1", "replicasets", "ReplicaSet")));
        this.recorder = recorder;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String auth = request.getHeader("Authorization");
        recorder.record(new ApiCall(auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null,
                request.getMethod(), request.getPath()));
        return super.dispatch(request);
    }

    private static CustomResourceDefinitionContext builtIn(String group, String version, String plural, String kind) {
        return new CustomResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withPlural(plural)
                .withKind(kind)
                .withScope("Namespaced")
                .withStatusSubresource(true)
                .build();
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        return super.handleCreate(withDefaults(request));
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        Matcher scale = SCALE_PATH.matcher(request.getPath());
        if (scale.matches()) {
            return writeScale(scale, bodyOf(request), request);
        }
        return super.handleUpdate(withDefaults(request));
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        Matcher scale = SCALE_PATH.matcher(request.getPath());
        if (!scale.matches()) {
            return super.handlePatch(isMergePatch(request) ? asJsonPatch(request) : request);
        }
        MockResponse current = readScale(scale);
        if (current.code() != HttpURLConnection.HTTP_OK) {
            return current;
        }
        try {
            JsonNode scaleNode = JSON.readTree(current.getBody().getBytes());
            JsonNode patch = JSON.readTree(bodyOf(request));
            String contentType = request.getHeader("Content-Type");
            JsonNode patched = contentType != null && contentType.startsWith("application/json-patch+json")
                    ? JsonPatch.apply(patch, scaleNode)
                    // For a Scale, which has no lists, merge and strategic-merge patches mean the same.
                    : mergePatch(scaleNode.deepCopy(), patch);
            return writeScale(scale, JSON.writeValueAsString(patched), request);
        } catch (IOException | RuntimeException e) {
            return status(422, "Invalid patch for scale: " + e.getMessage());
        }
    }

    @Override
    public MockResponse handleGet(String path) {
        if (path.equals("/version") || path.startsWith("/version?")) {
            // What a real API server answers anyone (readiness checks ask it); the stock mock has no such path.
            return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(
                    "{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.0-rotor-sandbox\","
                            + "\"platform\":\"linux/amd64\"}");
        }
        Matcher scale = SCALE_PATH.matcher(path);
        return scale.matches() ? readScale(scale) : super.handleGet(path);
    }

    /** Every stored state passes here, including the results of patches, which {@link #withDefaults} cannot see. */
    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        String state = newState;
        if (newState != null && SECRET_PATH.matcher(path).matches() && newState.contains("\"stringData\"")) {
            state = rewrite(newState, node -> ApiServerDefaults.foldStringData(node));
        }
        super.processEvent(path, pathAttributes, oldAttributes, resource, state);
    }

    private static boolean isMergePatch(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        return contentType != null && contentType.startsWith(MERGE_PATCH);
    }

    /** Turns a merge patch into the JSON patch that takes the stored object to the RFC 7386 result. */
    private RecordedRequest asJsonPatch(RecordedRequest request) {
        String path = request.getPath();
        String objectPath = path.replaceFirst("/status(\\?.*)?$", "$1");
        MockResponse current = super.handleGet(objectPath);
        if (current.code() != HttpURLConnection.HTTP_OK) {
            return request;
        }
        try {
            JsonNode stored = JSON.readTree(current.getBody().getBytes());
            JsonNode merged = mergePatch(stored.deepCopy(), JSON.readTree(bodyOf(request)));
            JsonNode jsonPatch = JsonDiff.asJson(stored, merged);
            Headers headers = request.getHeaders().newBuilder()
                    .set("Content-Type", "application/json-patch+json").build();
            return copy(request, request.method(), path, headers, JSON.writeValueAsString(jsonPatch));
        } catch (IOException | RuntimeException malformed) {
            // Let the stock handler produce its error for it.
            return request;
        }
    }

    /** RFC 7386: null removes a member, objects merge recursively, anything else (arrays too) replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), mergePatch(result.get(member.getKey()), member.getValue()));
            }
        }
        return result;
    }

    private RecordedRequest withDefaults(RecordedRequest request) {
        Matcher write = WRITE_PATH.matcher(request.getPath());
        if (!write.matches() || request.getBody() == null) {
            return request;
        }
        String body = bodyOf(request);
        String plural = write.group(1) != null ? write.group(1) : write.group(2);
        String rewritten = rewrite(body, node -> ApiServerDefaults.apply(plural, node));
        return rewritten.equals(body) ? request : copy(request, request.method(), request.getPath(),
                request.getHeaders(), rewritten);
    }

    /** Applies {@code change} to a JSON object; leaves anything unparseable for the stock handlers to reject. */
    private static String rewrite(String json, Predicate<ObjectNode> change) {
        try {
            if (JSON.readTree(json) instanceof ObjectNode node && change.test(node)) {
                return JSON.writeValueAsString(node);
            }
        } catch (JsonProcessingException malformed) {
            // The stock handler answers 4xx for it.
        }
        return json;
    }

    private MockResponse readScale(Matcher scale) {
        MockResponse response = super.handleGet(scale.group(1));
        if (response.code() != HttpURLConnection.HTTP_OK) {
            return response;
        }
        try {
            JsonNode workload = JSON.readTree(response.getBody().getBytes());
            return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK)
                    .setBody(JSON.writeValueAsString(toScale(workload)));
        } catch (IOException e) {
            return status(500, "Stored object is not JSON: " + e.getMessage());
        }
    }

    /** Sets spec.replicas on the workload through a merge patch, keeping the Scale's resourceVersion precondition. */
    private MockResponse writeScale(Matcher scale, String scaleBody, RecordedRequest original) {
        try {
            JsonNode requested = JSON.readTree(scaleBody);
            JsonNode replicas = requested.path("spec").path("replicas");
            if (!replicas.canConvertToInt()) {
                return status(422, "Scale.spec.replicas must be an integer");
            }
            ObjectNode patch = JSON.createObjectNode();
            patch.putObject("spec").put("replicas", replicas.asInt());
            String resourceVersion = requested.path("metadata").path("resourceVersion").asText("");
            if (!resourceVersion.isEmpty()) {
                patch.putObject("metadata").put("resourceVersion", resourceVersion);
            }
            Headers headers = Headers.builder().add("Content-Type", MERGE_PATCH).build();
            MockResponse patched = super.handlePatch(copy(original, HttpMethod.PATCH, scale.group(1), headers,
                    JSON.writeValueAsString(patch)));
            if (patched.code() >= 300) {
                return patched;
            }
            return readScale(scale);
        } catch (JsonProcessingException e) {
            return status(400, "Scale body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static ObjectNode toScale(JsonNode workload) {
        ObjectNode scale = JSON.createObjectNode();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        JsonNode source = workload.path("metadata");
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (source.has(field)) {
                metadata.set(field, source.get(field));
            }
        }
        scale.putObject("spec").put("replicas", workload.path("spec").path("replicas").asInt(1));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", workload.path("status").path("replicas").asInt(0));
        Map<String, Object> matchLabels = JSON.convertValue(workload.path("spec").path("selector").path("matchLabels"),
                JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
        if (matchLabels != null && !matchLabels.isEmpty()) {
            status.put("selector", matchLabels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(",")));
        }
        return scale;
    }

    private static String bodyOf(RecordedRequest request) {
        return request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    }

    private static RecordedRequest copy(RecordedRequest original, HttpMethod method, String path, Headers headers,
            String body) {
        return new RecordedRequest(original.getHttpVersion(), method, path, headers,
                new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static MockResponse status(int code, String message) {
        ObjectNode status = JSON.createObjectNode();
        status.put("apiVersion", "v1").put("kind", "Status").put("status", "Failure").put("message", message)
                .put("code", code);
        return new MockResponse().setResponseCode(code).setBody(status.toString());
    }
}
