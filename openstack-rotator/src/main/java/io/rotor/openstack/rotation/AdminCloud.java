package io.rotor.openstack.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.PlatformException;
import io.rotor.openstack.keystone.DomainSelector;
import io.rotor.openstack.keystone.ProjectScope;
import io.rotor.openstack.keystone.UserSelector;
import java.io.IOException;

/**
 * A login taken from one cloud of a clouds.yaml ({@code clouds.<cloud>.auth}): user by {@code user_id} or
 * {@code username} plus {@code user_domain_id}/{@code user_domain_name} (else {@code domain_id}/{@code domain_name},
 * else the default domain), its {@code password}, and the project to scope to by {@code project_id} or
 * {@code project_name} plus its domain. Its {@code auth_url} is not used: Rotor talks to the credential's endpoint.
 */
record AdminCloud(UserSelector user, SecretValue password, ProjectScope project) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** @param where names the Secret and key for messages */
    static AdminCloud parse(byte[] cloudsYaml, String cloud, String where) {
        JsonNode root;
        try {
            root = YAML.readTree(cloudsYaml);
        } catch (IOException e) {
            // The parser's message may quote the file, and the file holds a password: say only where.
            throw invalid(where + " is not valid YAML");
        }
        JsonNode auth = root == null ? null : root.path("clouds").path(cloud).path("auth");
        if (auth == null || !auth.isObject()) {
            throw invalid(where + " has no clouds." + cloud + ".auth section");
        }
        String password = text(auth, "password");
        if (password == null) {
            throw invalid(where + " has no clouds." + cloud + ".auth.password (a password login is needed; "
                    + "application credentials cannot manage users)");
        }
        DomainSelector fallbackDomain = domain(auth, "domain_id", "domain_name", DomainSelector.DEFAULT);
        UserSelector user;
        if (text(auth, "user_id") != null) {
            user = UserSelector.byId(text(auth, "user_id"));
        } else if (text(auth, "username") != null) {
            user = UserSelector.byName(text(auth, "username"),
                    domain(auth, "user_domain_id", "user_domain_name", fallbackDomain));
        } else {
            throw invalid(where + " has neither clouds." + cloud + ".auth.user_id nor .username");
        }
        ProjectScope project = null;
        if (text(auth, "project_id") != null) {
            project = ProjectScope.byId(text(auth, "project_id"));
        } else if (text(auth, "project_name") != null) {
            project = ProjectScope.byName(text(auth, "project_name"),
                    domain(auth, "project_domain_id", "project_domain_name", fallbackDomain));
        }
        return new AdminCloud(user, SecretValue.of(password), project);
    }

    private static DomainSelector domain(JsonNode auth, String idKey, String nameKey, DomainSelector fallback) {
        if (text(auth, idKey) != null) {
            return DomainSelector.byId(text(auth, idKey));
        }
        if (text(auth, nameKey) != null) {
            return DomainSelector.byName(text(auth, nameKey));
        }
        return fallback;
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    private static PlatformException invalid(String message) {
        return new PlatformException(KeystoneFailure.ADMIN_CLOUD_INVALID, message);
    }

    @Override
    public String toString() {
        return "AdminCloud[" + user + ", " + project + "]";
    }
}
