package io.rotor.openstack.rotation;

import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.participant.PlatformException;
import io.rotor.openstack.keystone.DomainSelector;
import io.rotor.openstack.keystone.ProjectScope;
import io.rotor.openstack.keystone.UserSelector;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A login taken from one cloud of a clouds.yaml ({@code clouds.<cloud>.auth}): user by {@code user_id} or
 * {@code username} plus {@code user_domain_id}/{@code user_domain_name} (else {@code domain_id}/{@code domain_name},
 * else the default domain), its {@code password}, and the project to scope to by {@code project_id} or
 * {@code project_name} plus its domain, and its {@code auth_url}: the Keystone this password belongs to. Rotor talks
 * to the credential's endpoint, but refuses to send the password at all when the cloud's own {@code auth_url} is
 * outside the endpoint policy (see {@link Logins#admin}).
 *
 * <p>Values are taken as written: YAML 1.1 would read {@code password: 0123} as the number 83.
 */
record AdminCloud(UserSelector user, SecretValue password, ProjectScope project, String authUrl) {

    /** @param where names the Secret and key for messages */
    static AdminCloud parse(byte[] cloudsYaml, String cloud, String where) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions()))
                    .compose(new StringReader(new String(cloudsYaml, StandardCharsets.UTF_8)));
        } catch (YAMLException e) {
            // The parser's message may quote the file, and the file holds a password: say only where.
            throw invalid(where + " is not valid YAML");
        }
        Map<String, String> auth = scalars(child(child(child(root, "clouds"), cloud), "auth"));
        if (auth == null) {
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
        return new AdminCloud(user, SecretValue.of(password), project, text(auth, "auth_url"));
    }

    private static Node child(Node node, String key) {
        if (!(node instanceof MappingNode mapping)) {
            return null;
        }
        for (NodeTuple entry : mapping.getValue()) {
            if (entry.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return entry.getValueNode();
            }
        }
        return null;
    }

    /** The scalar entries of a mapping, as written; null when it is not a mapping. */
    private static Map<String, String> scalars(Node node) {
        if (!(node instanceof MappingNode mapping)) {
            return null;
        }
        Map<String, String> values = new HashMap<>();
        for (NodeTuple entry : mapping.getValue()) {
            if (entry.getKeyNode() instanceof ScalarNode k && entry.getValueNode() instanceof ScalarNode v
                    && !Tag.NULL.equals(v.getTag()) && !v.getValue().isEmpty()) {
                values.put(k.getValue(), v.getValue());
            }
        }
        return values;
    }

    private static DomainSelector domain(Map<String, String> auth, String idKey, String nameKey,
            DomainSelector fallback) {
        if (text(auth, idKey) != null) {
            return DomainSelector.byId(text(auth, idKey));
        }
        if (text(auth, nameKey) != null) {
            return DomainSelector.byName(text(auth, nameKey));
        }
        return fallback;
    }

    private static String text(Map<String, String> auth, String key) {
        return auth.get(key);
    }

    private static PlatformException invalid(String message) {
        return new PlatformException(KeystoneFailure.ADMIN_CLOUD_INVALID, message);
    }

    @Override
    public String toString() {
        return "AdminCloud[" + user + ", " + project + ", " + authUrl + "]";
    }
}
