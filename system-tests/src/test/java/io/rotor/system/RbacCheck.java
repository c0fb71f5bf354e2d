package io.rotor.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.rotor.testkit.kubernetes.ApiCall;
import io.rotor.testkit.kubernetes.ApiCall.Permission;
import io.rotor.testkit.stack.ApiCallFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What each service did against the API server (recorded by the sandbox, told apart by the bearer token the stack
 * gives each service) next to what its ClusterRole in deploy/ allows.
 */
final class RbacCheck {

    private RbacCheck() {
    }

    /** Permissions used, by service token. */
    static Map<String, Set<Permission>> used(Path apiCalls) throws IOException {
        Map<String, Set<Permission>> used = new HashMap<>();
        for (ApiCall call : ApiCallFile.read(apiCalls)) {
            if (call.token() == null) {
                continue;
            }
            call.permission().ifPresent(p -> used.computeIfAbsent(call.token(), t -> new TreeSet<>(
                    Comparator.comparing(Permission::toString))).add(p));
        }
        return used;
    }

    /** Permissions the ClusterRoles and Roles of the given deploy/ service folders grant, together. */
    static Set<Permission> granted(Path deployBase, List<String> serviceFolders) throws IOException {
        Set<Permission> granted = new TreeSet<>(Comparator.comparing(Permission::toString));
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (String folder : serviceFolders) {
            String text = Files.readString(deployBase.resolve(folder).resolve("rbac.yaml"));
            try (YAMLParser parser = new YAMLFactory().createParser(text)) {
                for (JsonNode doc : yaml.readValues(parser, JsonNode.class).readAll()) {
                    // ClusterRoles for the watched namespaces, Roles in Rotor's own (the rotators' login-budget Leases).
                    if (!Set.of("ClusterRole", "Role").contains(doc.path("kind").asText())) {
                        continue;
                    }
                    for (JsonNode rule : doc.path("rules")) {
                        for (JsonNode group : rule.path("apiGroups")) {
                            for (JsonNode resource : rule.path("resources")) {
                                for (JsonNode verb : rule.path("verbs")) {
                                    granted.add(new Permission(group.asText(), resource.asText(), verb.asText()));
                                }
                            }
                        }
                    }
                }
            }
        }
        return granted;
    }
}
