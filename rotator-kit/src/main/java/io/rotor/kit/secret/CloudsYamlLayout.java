package io.rotor.kit.secret;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.sealing.SecretValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
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
 * Format {@code clouds-yaml}: an OpenStack clouds.yaml (or secure.yaml) where one cloud's
 * {@code auth.password} (or {@code auth.username}, {@code auth.application_credential_id},
 * {@code auth.application_credential_secret}) changes.
 *
 * <p>The file is edited in place, not re-serialized: the old scalar is cut out of the text and a double-quoted one put
 * in, so every other cloud, key, comment, quoting style and the ordering stay byte for byte. A field the cloud's auth
 * section lacks is added as its last entry. Before anything is returned, both texts are parsed again and the result
 * must equal the original with exactly those fields changed; otherwise the edit is refused. Values reached through
 * YAML anchors or aliases are refused too, since changing them would change every cloud that shares them.
 */
public final class CloudsYamlLayout implements SecretLayout {

    static final Map<CredentialField, String> AUTH_KEYS;

    static {
        Map<CredentialField, String> k = new EnumMap<>(CredentialField.class);
        k.put(CredentialField.USERNAME, "username");
        k.put(CredentialField.PASSWORD, "password");
        k.put(CredentialField.APPLICATION_CREDENTIAL_ID, "application_credential_id");
        k.put(CredentialField.APPLICATION_CREDENTIAL_SECRET, "application_credential_secret");
        AUTH_KEYS = Collections.unmodifiableMap(k);
    }

    private final String fileKey;
    private final String cloud;

    CloudsYamlLayout(String fileKey, String cloud) {
        this.fileKey = Objects.requireNonNull(fileKey, "fileKey");
        this.cloud = Objects.requireNonNull(cloud, "cloud");
    }

    @Override
    public Map<CredentialField, SecretValue> read(Map<String, byte[]> data) {
        Map<CredentialField, SecretValue> found = new EnumMap<>(CredentialField.class);
        byte[] bytes = data.get(fileKey);
        if (bytes == null) {
            return found;
        }
        String text = Utf8Text.decode(bytes, "key '" + fileKey + "'");
        MappingNode auth = auth(compose(text));
        AUTH_KEYS.forEach((field, key) -> {
            NodeTuple entry = entry(auth, key);
            if (entry == null) {
                return;
            }
            Node value = entry.getValueNode();
            if (!(value instanceof ScalarNode scalar)) {
                throw new SecretLayoutException(SecretLayoutException.Reason.UNREADABLE, where(key) + " is not a scalar");
            }
            if (!Tag.NULL.equals(scalar.getTag())) {
                found.put(field, SecretValue.of(scalar.getValue()));
            }
        });
        return found;
    }

    @Override
    public Map<String, byte[]> write(Map<String, byte[]> data, Map<CredentialField, SecretValue> fields) {
        Map<String, String> values = new LinkedHashMap<>();
        AUTH_KEYS.forEach((field, key) -> {
            SecretValue value = fields.get(field);
            if (value != null) {
                values.put(key, value.reveal());
            }
        });
        Map<String, byte[]> out = new LinkedHashMap<>(data);
        if (values.isEmpty()) {
            return out;
        }
        byte[] bytes = data.get(fileKey);
        String text = bytes == null ? "" : Utf8Text.decode(bytes, "key '" + fileKey + "'");
        String result = text.isBlank() ? fresh(values) : edit(text, values);
        verify(text, result, values);
        out.put(fileKey, Utf8Text.encode(result));
        return out;
    }

    @Override
    public Set<String> dataKeys() {
        return Set.of(fileKey);
    }

    @Override
    public Set<CredentialField> fields() {
        return AUTH_KEYS.keySet();
    }

    @Override
    public String describe(CredentialField field) {
        return where(AUTH_KEYS.get(field));
    }

    private String where(String authKey) {
        return "key '" + fileKey + "' cloud '" + cloud + "' auth." + authKey;
    }

    /** A new file holding just this cloud's auth fields (for a Secret Rotor creates). */
    private String fresh(Map<String, String> values) {
        StringBuilder out = new StringBuilder("clouds:\n  ").append(YamlScalars.doubleQuoted(cloud)).append(":\n    auth:\n");
        values.forEach((key, value) -> out.append("      ").append(key).append(": ")
                .append(YamlScalars.doubleQuoted(value)).append('\n'));
        return out.toString();
    }

    private String edit(String text, Map<String, String> values) {
        CodePoints positions = new CodePoints(text);
        AuthSection section = authSection(compose(text));
        requireOwn(section.cloud(), "cloud '" + cloud + "' in key '" + fileKey + "'");
        requireOwn(section.auth(), "cloud '" + cloud + "' auth in key '" + fileKey + "'");
        MappingNode auth = section.node();
        List<Edit> edits = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        values.forEach((key, value) -> {
            NodeTuple entry = entry(auth, key);
            if (entry == null) {
                missing.add(key);
                return;
            }
            Node node = entry.getValueNode();
            requireOwn(entry, where(key));
            if (!(node instanceof ScalarNode)) {
                throw new SecretLayoutException(SecretLayoutException.Reason.NOT_EDITABLE, where(key) + " is not a scalar");
            }
            int start = positions.offset(node.getStartMark().getIndex());
            int end = positions.offset(node.getEndMark().getIndex());
            // Block scalars (| and >) end after their line break; keep that break.
            int keep = end;
            while (keep > start && Character.isWhitespace(text.charAt(keep - 1))) {
                keep--;
            }
            edits.add(new Edit(start, keep, YamlScalars.doubleQuoted(value)));
        });
        if (!missing.isEmpty()) {
            edits.add(insertion(text, positions, auth, missing, values));
        }
        StringBuilder result = new StringBuilder(text);
        edits.stream().sorted((a, b) -> Integer.compare(b.start, a.start))
                .forEach(e -> result.replace(e.start, e.end, e.text));
        return result.toString();
    }

    /** New entries after the auth section's last one: a line each in block style, {@code , k: v} in flow style. */
    private Edit insertion(String text, CodePoints positions, MappingNode auth, List<String> keys,
            Map<String, String> values) {
        if (auth.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
            int close = positions.offset(auth.getEndMark().getIndex()) - 1;
            while (close > 0 && text.charAt(close) != '}') {
                close--;
            }
            StringBuilder add = new StringBuilder();
            for (String key : keys) {
                add.append(auth.getValue().isEmpty() && add.isEmpty() ? "" : ", ")
                        .append(key).append(": ").append(YamlScalars.doubleQuoted(values.get(key)));
            }
            return new Edit(close, close, add.toString());
        }
        NodeTuple last = auth.getValue().get(auth.getValue().size() - 1);
        int column = auth.getValue().get(0).getKeyNode().getStartMark().getColumn();
        int lastChar = positions.offset(last.getValueNode().getEndMark().getIndex());
        while (lastChar > 0 && Character.isWhitespace(text.charAt(lastChar - 1))) {
            lastChar--;
        }
        int lineEnd = text.indexOf('\n', lastChar);
        if (lineEnd < 0) {
            lineEnd = text.length();
        }
        if (lineEnd > 0 && text.charAt(lineEnd - 1) == '\r') {
            lineEnd--;
        }
        StringBuilder add = new StringBuilder();
        String newline = lineEnd < text.length() && text.charAt(lineEnd) == '\r' ? "\r\n" : "\n";
        for (String key : keys) {
            add.append(newline).append(" ".repeat(column)).append(key).append(": ")
                    .append(YamlScalars.doubleQuoted(values.get(key)));
        }
        return new Edit(lineEnd, lineEnd, add.toString());
    }

    private MappingNode auth(Node root) {
        return authSection(root).node();
    }

    /** clouds → cloud → auth: the entries of the cloud and of its auth mapping. */
    private AuthSection authSection(Node root) {
        if (!(root instanceof MappingNode top)) {
            throw new SecretLayoutException(SecretLayoutException.Reason.MALFORMED,
                    "key '" + fileKey + "' is not a clouds.yaml: its top level is not a mapping");
        }
        NodeTuple clouds = entry(top, "clouds");
        if (clouds == null || !(clouds.getValueNode() instanceof MappingNode cloudMap)) {
            throw new SecretLayoutException(SecretLayoutException.Reason.MALFORMED,
                    "key '" + fileKey + "' is not a clouds.yaml: it has no 'clouds' mapping");
        }
        NodeTuple named = entry(cloudMap, cloud);
        if (named == null) {
            List<String> names = new ArrayList<>();
            cloudMap.getValue().forEach(t -> {
                if (t.getKeyNode() instanceof ScalarNode s) {
                    names.add(s.getValue());
                }
            });
            throw new SecretLayoutException(SecretLayoutException.Reason.CLOUD_NOT_FOUND,
                    "key '" + fileKey + "' has no cloud '" + cloud + "' (it has " + names + ")");
        }
        if (!(named.getValueNode() instanceof MappingNode cloudNode)) {
            throw new SecretLayoutException(SecretLayoutException.Reason.NOT_EDITABLE,
                    "cloud '" + cloud + "' in key '" + fileKey + "' is not a mapping");
        }
        NodeTuple auth = entry(cloudNode, "auth");
        if (auth == null || !(auth.getValueNode() instanceof MappingNode authNode)) {
            throw new SecretLayoutException(SecretLayoutException.Reason.NOT_EDITABLE, "cloud '" + cloud
                    + "' in key '" + fileKey + "' has no auth mapping of its own (a merge key '<<' is not edited)");
        }
        return new AuthSection(named, auth, authNode);
    }

    private record AuthSection(NodeTuple cloud, NodeTuple auth, MappingNode node) {
    }

    /** Refuses a value that is anchored (others may share it) or an alias (it belongs to someone else). */
    private static void requireOwn(NodeTuple entry, String where) {
        Node value = entry.getValueNode();
        boolean aliased = value.getStartMark().getIndex() < entry.getKeyNode().getEndMark().getIndex();
        if (aliased || value.getAnchor() != null) {
            throw new SecretLayoutException(SecretLayoutException.Reason.NOT_EDITABLE,
                    where + " is a YAML anchor or alias; changing it would change every place that shares it");
        }
    }

    private static NodeTuple entry(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s && key.equals(s.getValue())) {
                return t;
            }
        }
        return null;
    }

    private Node compose(String text) {
        try {
            Iterator<Node> documents = yaml().composeAll(new StringReader(text)).iterator();
            Node root = documents.hasNext() ? documents.next() : null;
            if (documents.hasNext()) {
                throw new SecretLayoutException(SecretLayoutException.Reason.MALFORMED,
                        "key '" + fileKey + "' holds more than one YAML document");
            }
            return root;
        } catch (YAMLException e) {
            throw malformed(e);
        }
    }

    /**
     * The safety net: the result, parsed, must be the original, parsed, with exactly the given auth values set.
     * Anything else means the in-place edit touched more than it should (or too little), and nothing is written.
     */
    @SuppressWarnings("unchecked")
    private void verify(String before, String after, Map<String, String> values) {
        Object expected;
        Object actual;
        try {
            expected = before.isBlank() ? new LinkedHashMap<>(Map.of("clouds", new LinkedHashMap<>(Map.of(cloud,
                    new LinkedHashMap<>(Map.of("auth", new LinkedHashMap<>())))))) : yaml().load(before);
        } catch (YAMLException e) {
            throw malformed(e);
        }
        try {
            actual = yaml().load(after);
        } catch (YAMLException e) {
            throw new SecretLayoutException(SecretLayoutException.Reason.NOT_EDITABLE, "editing cloud '" + cloud
                    + "' in key '" + fileKey + "' in place would make the file invalid YAML; nothing written");
        }
        Map<String, Object> auth = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) expected).get("clouds")).get(cloud)).get("auth");
        auth.putAll(values);
        if (!Objects.equals(expected, actual)) {
            throw new SecretLayoutException(SecretLayoutException.Reason.NOT_EDITABLE, "editing cloud '" + cloud
                    + "' in key '" + fileKey + "' in place would change more than its auth fields; nothing written");
        }
    }

    private SecretLayoutException malformed(YAMLException e) {
        // SnakeYAML's messages quote the offending text, which may be a secret: keep only the position.
        String position = e instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null
                ? " (line " + (marked.getProblemMark().getLine() + 1) + ", column "
                        + (marked.getProblemMark().getColumn() + 1) + ")"
                : "";
        return new SecretLayoutException(SecretLayoutException.Reason.MALFORMED,
                "key '" + fileKey + "' is not valid YAML" + position);
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    private record Edit(int start, int end, String text) {
    }

    /** SnakeYAML counts code points; Java strings count UTF-16 units. */
    private static final class CodePoints {
        private final String text;

        CodePoints(String text) {
            this.text = text;
        }

        int offset(int codePointIndex) {
            return text.offsetByCodePoints(0, Math.min(codePointIndex, text.codePointCount(0, text.length())));
        }
    }
}
