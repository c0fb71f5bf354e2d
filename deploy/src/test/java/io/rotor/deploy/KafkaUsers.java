package io.rotor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The KafkaUsers of {@code base/kafka/users.yaml} and their ACLs, read the way Strimzi's User Operator reads them
 * (simple authorization): the one place the tests learn who may read and write what, both for the checks on the file
 * and for the ACLs a real broker gets in {@link KafkaAclEnforcementTest}.
 */
record KafkaUsers(Map<String, List<Acl>> byUser) {

    static final Path SOURCE = Kustomize.ROOT.resolve("base/kafka/users.yaml");

    /** One rule: resource type ({@code topic}, {@code group}, {@code cluster}), name, pattern, operations. */
    record Acl(String resourceType, String name, String patternType, Set<String> operations, String host, boolean allow) {

        /** Strimzi's default pattern type is literal, its default host {@code *}, its default type allow. */
        static Acl of(JsonNode rule) {
            JsonNode resource = rule.path("resource");
            Set<String> operations = new LinkedHashSet<>();
            rule.path("operations").forEach(o -> operations.add(o.asText()));
            if (rule.has("operation")) {
                operations.add(rule.path("operation").asText());
            }
            return new Acl(resource.path("type").asText(), resource.path("name").asText(null),
                    resource.path("patternType").asText("literal").toLowerCase(Locale.ROOT), Set.copyOf(operations),
                    rule.path("host").asText("*"), !rule.path("type").asText("allow").equalsIgnoreCase("deny"));
        }

        boolean appliesTo(String type, String resourceName) {
            if (!resourceType.equals(type)) {
                return false;
            }
            if (type.equals("cluster")) {
                return true;
            }
            return patternType.equals("prefix") ? resourceName.startsWith(name) : resourceName.equals(name);
        }

        /** Kafka's implications: Read, Write, Delete and Alter each imply Describe; All implies everything. */
        boolean grants(String operation) {
            return operations.contains(operation) || operations.contains("All")
                    || operation.equals("Describe") && operations.stream().anyMatch(
                            o -> Set.of("Read", "Write", "Delete", "Alter").contains(o));
        }
    }

    static KafkaUsers fromSource() throws IOException {
        return of(Kustomize.read(SOURCE));
    }

    /** From parsed objects (the source file or a rendered overlay); other kinds are ignored. */
    static KafkaUsers of(List<ObjectNode> objects) {
        Map<String, List<Acl>> users = new LinkedHashMap<>();
        for (ObjectNode user : RenderedManifestsTest.byKind(objects, "KafkaUser")) {
            JsonNode authorization = user.path("spec").path("authorization");
            if (!authorization.path("type").asText().equals("simple")) {
                throw new IllegalStateException("KafkaUser " + user.path("metadata").path("name").asText()
                        + " does not use simple authorization");
            }
            List<Acl> acls = new ArrayList<>();
            authorization.path("acls").forEach(rule -> acls.add(Acl.of(rule)));
            if (users.put(user.path("metadata").path("name").asText(), List.copyOf(acls)) != null) {
                throw new IllegalStateException("two KafkaUsers named " + user.path("metadata").path("name").asText());
            }
        }
        return new KafkaUsers(Map.copyOf(users));
    }

    Set<String> names() {
        return byUser.keySet();
    }

    List<Acl> acls(String user) {
        List<Acl> acls = byUser.get(user);
        if (acls == null) {
            throw new IllegalArgumentException("no KafkaUser " + user + " (there are " + byUser.keySet() + ")");
        }
        return acls;
    }

    /** Whether the user's ACLs allow {@code operation} on the resource (no deny rule matches, an allow rule does). */
    boolean allows(String user, String operation, String resourceType, String resourceName) {
        boolean allowed = false;
        for (Acl acl : acls(user)) {
            if (acl.appliesTo(resourceType, resourceName) && acl.grants(operation)) {
                if (!acl.allow()) {
                    return false;
                }
                allowed = true;
            }
        }
        return allowed;
    }

    /** The topics among {@code topics} the user may do {@code operation} on. */
    Set<String> topics(String user, String operation, List<String> topics) {
        Set<String> out = new LinkedHashSet<>();
        for (String topic : topics) {
            if (allows(user, operation, "topic", topic)) {
                out.add(topic);
            }
        }
        return out;
    }

    /** The users allowed {@code operation} on the topic. */
    Set<String> usersAllowed(String operation, String topic) {
        Set<String> out = new LinkedHashSet<>();
        for (String user : byUser.keySet()) {
            if (allows(user, operation, "topic", topic)) {
                out.add(user);
            }
        }
        return out;
    }

    /** The group-name prefixes (or names) a user may join. */
    List<String> groups(String user) {
        return acls(user).stream().filter(a -> a.resourceType().equals("group") && a.grants("Read"))
                .map(Acl::name).toList();
    }
}
