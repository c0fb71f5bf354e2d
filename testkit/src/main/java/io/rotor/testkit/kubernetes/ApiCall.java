package io.rotor.testkit.kubernetes;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request to the sandbox's API server: who sent it (the bearer token, which system tests set to the service's
 * name), the HTTP method and the path. {@link #permission()} turns it into what RBAC would have to allow.
 */
public record ApiCall(String token, String method, String path) {

    /** {@code /api/v1/namespaces/ns/secrets/name}, {@code /apis/apps/v1/namespaces/ns/deployments/name/scale}, ... */
    private static final Pattern RESOURCE_PATH = Pattern.compile(
            "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/[^/]+)?/([^/]+)(?:/([^/]+)(?:/([^/]+))?)?$");

    /** An RBAC rule's worth of a call: API group ("" for core), resource (with subresource), verb. */
    public record Permission(String group, String resource, String verb) {
        @Override
        public String toString() {
            return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
        }
    }

    public Optional<Permission> permission() {
        URI uri = URI.create(path);
        Matcher m = RESOURCE_PATH.matcher(uri.getPath());
        if (!m.matches()) {
            return Optional.empty();
        }
        String group = m.group(1) == null ? "" : m.group(1);
        String resource = m.group(2);
        String name = m.group(3);
        String sub = m.group(4);
        if (resource.equals("namespaces") && name != null && sub != null) {
            return Optional.empty();
        }
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        String verb = switch (method) {
            case "GET" -> query.contains("watch=true") || query.contains("watch=1") ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> method.toLowerCase();
        };
        return Optional.of(new Permission(group, sub == null ? resource : resource + "/" + sub, verb));
    }
}
