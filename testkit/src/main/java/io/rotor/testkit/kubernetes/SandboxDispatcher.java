package io.rotor.testkit.kubernetes;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingList;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleList;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingList;
import io.fabric8.kubernetes.api.model.rbac.RoleList;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
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
 * handed to the stock handler as the equivalent JSON patch, so its status and resourceVersion rules still apply;</li>
 * <li>TokenReviews answered from {@link SandboxIdentities}, and SubjectAccessReviews decided by
 * {@link RbacAuthorizer} over the RBAC objects stored at that moment. Neither review is stored: the stock mock would
 * keep the body and echo it without a status.</li>
 * </ul>
 */
final class SandboxDispatcher extends KubernetesCrudDispatcher {

    /** Create (collection) and replace (item) paths of the types {@link ApiServerDefaults} knows; group 1 or 2 names it. */
    private static final Pattern WRITE_PATH = Pattern.compile("^(?:/apis/apps/v1/namespaces/[^/]+/"
            + "(deployments|statefulsets|daemonsets)|/api/v1/namespaces/[^/]+/(secrets))(?:/[^/?]+)?(?:\\?.*)?$");
    private static final Pattern SECRET_PATH = Pattern.compile("^/api/v1/namespaces/[^/]+/secrets(?:[/?].*)?$");
    private static final Pattern SCALE_PATH = Pattern.compile(
            "^(/apis/apps/v1/namespaces/([^/]+)/(deployments|statefulsets|replicasets)/([^/?]+))/scale(?:\\?.*)?$");
    private static final Pattern TOKEN_REVIEW_PATH = Pattern.compile(
            "^/apis/authentication\\.k8s\\.io/v1/tokenreviews/?(?:\\?.*)?$");
    private static final Pattern SUBJECT_ACCESS_REVIEW_PATH = Pattern.compile(
            "^/apis/authorization\\.k8s\\.io/v1/subjectaccessreviews/?(?:\\?.*)?$");
    private static final String RBAC_API = "/apis/rbac.authorization.k8s.io/v1/";
    private static final String MERGE_PATCH = "application/merge-patch+json";
    /** Tree work only (no model classes), so a plain mapper does. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiCallRecorder recorder;
    private final SandboxIdentities identities;
    /** fabric8's model mapper, to read stored RBAC objects into their classes. */
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    SandboxDispatcher(ApiCallRecorder recorder, SandboxIdentities identities) {
        super(List.of(
                builtIn("apps", "v1", "deployments", "Deployment"),
                builtIn("apps", "v1", "statefulsets", "StatefulSet"),
                builtIn("apps", "v1", "daemonsets", "DaemonSet"),
                builtIn("apps", "v1", "replicasets", "ReplicaSet")));
        this.recorder = recorder;
        this.identities = identities;
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
        if (TOKEN_REVIEW_PATH.matcher(request.getPath()).matches()) {
            return tokenReview(request);
        }
        if (SUBJECT_ACCESS_REVIEW_PATH.matcher(request.getPath()).matches()) {
            return subjectAccessReview(request);
        }
        return super.handleCreate(withDefaults(request));
    }

    /**
     * As pkg/registry/authentication/tokenreview does: the review comes back with its spec and a status; a false
     * {@code authenticated} is omitted (Go's omitempty), an unknown token gets {@code "user":{}} and an error.
     */
    private MockResponse tokenReview(RecordedRequest request) {
        ObjectNode review = objectBody(request);
        if (review == null) {
            return status(400, "BadRequest", "the body of the request was in an unknown format");
        }
        String token = review.path("spec").path("token").asText("");
        if (token.isEmpty()) {
            return status(400, "BadRequest", "token is required for TokenReview in authentication");
        }
        ObjectNode response = reviewResponse("authentication.k8s.io/v1", "TokenReview", review);
        ObjectNode status = response.putObject("status");
        Optional<Identity> identity = identities.authenticate(token);
        if (identity.isEmpty()) {
            status.putObject("user");
            status.put("error", "invalid bearer token");
            return created(response);
        }
        status.put("authenticated", true);
        ObjectNode user = status.putObject("user");
        user.put("username", identity.get().username());
        if (!identity.get().uid().isEmpty()) {
            user.put("uid", identity.get().uid());
        }
        identity.get().groups().forEach(user.putArray("groups")::add);
        // The sandbox's tokens are not bound to audiences: a known token is good for whichever were asked about.
        JsonNode audiences = review.path("spec").path("audiences");
        if (audiences.isArray() && !audiences.isEmpty()) {
            status.set("audiences", audiences.deepCopy());
        }
        return created(response);
    }

    /** As pkg/registry/authorization/subjectaccessreview does, with RBAC as the only authorizer. */
    private MockResponse subjectAccessReview(RecordedRequest request) {
        ObjectNode review = objectBody(request);
        if (review == null) {
            return status(400, "BadRequest", "the body of the request was in an unknown format");
        }
        JsonNode spec = review.path("spec");
        JsonNode resource = spec.path("resourceAttributes");
        boolean nonResource = spec.path("nonResourceAttributes").isObject();
        String user = spec.path("user").asText("");
        List<String> groups = new ArrayList<>();
        spec.path("groups").forEach(group -> groups.add(group.asText()));
        String invalid = invalidSpec(resource.isObject(), nonResource, user.isEmpty() && groups.isEmpty());
        if (invalid != null) {
            return status(422, "Invalid", "SubjectAccessReview.authorization.k8s.io \"\" is invalid: " + invalid);
        }
        ObjectNode response = reviewResponse("authorization.k8s.io/v1", "SubjectAccessReview", review);
        ObjectNode status = response.putObject("status");
        if (nonResource) {
            status.put("allowed", false);
            status.put("evaluationError", "the Kubernetes sandbox does not model non-resource requests");
            return created(response);
        }
        RbacAuthorizer.Attributes attributes = new RbacAuthorizer.Attributes(text(resource, "namespace"),
                text(resource, "verb"), text(resource, "group"), text(resource, "resource"),
                text(resource, "subresource"), text(resource, "name"));
        RbacAuthorizer.Decision decision = currentRbac().authorize(user, groups, attributes);
        // RBAC never denies, so status.denied is never set.
        status.put("allowed", decision.allowed());
        if (!decision.reason().isEmpty()) {
            status.put("reason", decision.reason());
        }
        return created(response);
    }

    /** ValidateSubjectAccessReviewSpec's checks, in its words; null when the spec passes them. */
    private static String invalidSpec(boolean resource, boolean nonResource, boolean nobody) {
        if (!resource && !nonResource) {
            return "spec.resourceAttributes: Required value: exactly one of nonResourceAttributes or "
                    + "resourceAttributes must be specified";
        }
        if (resource && nonResource) {
            return "spec.nonResourceAttributes: Invalid value: cannot be specified in combination with "
                    + "resourceAttributes";
        }
        return nobody ? "spec.user: Invalid value: \"\": at least one of user or group must be specified" : null;
    }

    /** The RBAC objects stored now, read through the mock's own list paths. */
    private RbacAuthorizer currentRbac() {
        List<HasMetadata> objects = new ArrayList<>();
        objects.addAll(list("clusterroles", ClusterRoleList.class));
        objects.addAll(list("clusterrolebindings", ClusterRoleBindingList.class));
        objects.addAll(list("roles", RoleList.class));
        objects.addAll(list("rolebindings", RoleBindingList.class));
        return new RbacAuthorizer(objects);
    }

    private List<? extends HasMetadata> list(String plural,
            Class<? extends KubernetesResourceList<? extends HasMetadata>> type) {
        MockResponse response = super.handleGet(RBAC_API + plural);
        if (response.code() != HttpURLConnection.HTTP_OK || response.getBody() == null) {
            return List.of();
        }
        List<? extends HasMetadata> items = serialization.unmarshal(
                new String(response.getBody().getBytes(), StandardCharsets.UTF_8), type).getItems();
        return items == null ? List.of() : items;
    }

    private static ObjectNode reviewResponse(String apiVersion, String kind, ObjectNode review) {
        ObjectNode response = JSON.createObjectNode();
        response.put("kind", kind).put("apiVersion", apiVersion);
        response.set("metadata", review.get("metadata") instanceof ObjectNode metadata ? metadata
                : JSON.createObjectNode());
        response.set("spec", review.get("spec") instanceof ObjectNode spec ? spec : JSON.createObjectNode());
        return response;
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).asText("");
    }

    private static ObjectNode objectBody(RecordedRequest request) {
        try {
            return JSON.readTree(bodyOf(request)) instanceof ObjectNode object ? object : null;
        } catch (JsonProcessingException malformed) {
            return null;
        }
    }

    private static MockResponse created(ObjectNode body) {
        return new MockResponse().setResponseCode(HttpURLConnection.HTTP_CREATED).setBody(body.toString());
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
        return status(code, null, message);
    }

    private static MockResponse status(int code, String reason, String message) {
        ObjectNode status = JSON.createObjectNode();
        status.put("apiVersion", "v1").put("kind", "Status").put("status", "Failure").put("message", message);
        if (reason != null) {
            status.put("reason", reason);
        }
        status.put("code", code);
        return new MockResponse().setResponseCode(code).setBody(status.toString());
    }
}
