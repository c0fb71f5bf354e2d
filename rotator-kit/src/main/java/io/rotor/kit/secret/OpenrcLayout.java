package io.rotor.kit.secret;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.sealing.SecretValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Format {@code openrc}: a shell file of {@code export OS_*=...} lines. Writing replaces the value of
 * {@code OS_PASSWORD} (or {@code OS_USERNAME}, {@code OS_APPLICATION_CREDENTIAL_ID},
 * {@code OS_APPLICATION_CREDENTIAL_SECRET}) wherever it is assigned at the start of a line, single-quoted so that any
 * character survives, and keeps every other byte of the file; a variable that is not assigned yet is appended as an
 * {@code export} line.
 */
public final class OpenrcLayout implements SecretLayout {

    static final Map<CredentialField, String> VARIABLES;

    static {
        Map<CredentialField, String> v = new EnumMap<>(CredentialField.class);
        v.put(CredentialField.USERNAME, "OS_USERNAME");
        v.put(CredentialField.PASSWORD, "OS_PASSWORD");
        v.put(CredentialField.APPLICATION_CREDENTIAL_ID, "OS_APPLICATION_CREDENTIAL_ID");
        v.put(CredentialField.APPLICATION_CREDENTIAL_SECRET, "OS_APPLICATION_CREDENTIAL_SECRET");
        VARIABLES = Collections.unmodifiableMap(v);
    }

    /** {@code NAME=} at the start of a line, optionally after {@code export}. */
    private static final Pattern ASSIGNMENT = Pattern.compile("(?m)^[ \\t]*(?:export[ \\t]+)?([A-Za-z_][A-Za-z0-9_]*)=");

    private final String fileKey;

    OpenrcLayout(String fileKey) {
        this.fileKey = fileKey;
    }

    @Override
    public Map<CredentialField, SecretValue> read(Map<String, byte[]> data) {
        Map<CredentialField, SecretValue> found = new EnumMap<>(CredentialField.class);
        byte[] bytes = data.get(fileKey);
        if (bytes == null) {
            return found;
        }
        Map<String, List<ShellWords.Word>> assignments = assignments(text(bytes));
        VARIABLES.forEach((field, variable) -> {
            List<ShellWords.Word> words = assignments.get(variable);
            if (words != null) {
                // The shell keeps the last assignment.
                ShellWords.Word last = words.get(words.size() - 1);
                if (!last.literal()) {
                    throw new SecretLayoutException(SecretLayoutException.Reason.UNREADABLE, variable + " in key '"
                            + fileKey + "' is set by a shell expansion; its value cannot be read from the file");
                }
                found.put(field, SecretValue.of(last.value()));
            }
        });
        return found;
    }

    @Override
    public Map<String, byte[]> write(Map<String, byte[]> data, Map<CredentialField, SecretValue> fields) {
        byte[] bytes = data.get(fileKey);
        String text = bytes == null ? "" : text(bytes);
        Map<String, List<ShellWords.Word>> assignments = assignments(text);
        List<Replacement> replacements = new ArrayList<>();
        StringBuilder appended = new StringBuilder();
        VARIABLES.forEach((field, variable) -> {
            SecretValue value = fields.get(field);
            if (value == null) {
                return;
            }
            String quoted = ShellWords.quote(value.reveal());
            List<ShellWords.Word> words = assignments.get(variable);
            if (words == null) {
                appended.append("export ").append(variable).append('=').append(quoted).append('\n');
            } else {
                words.forEach(w -> replacements.add(new Replacement(w.start(), w.end(), quoted)));
            }
        });
        StringBuilder result = new StringBuilder(text);
        replacements.stream().sorted((a, b) -> Integer.compare(b.start, a.start))
                .forEach(r -> result.replace(r.start, r.end, r.text));
        if (!appended.isEmpty()) {
            if (!result.isEmpty() && result.charAt(result.length() - 1) != '\n') {
                result.append('\n');
            }
            result.append(appended);
        }
        Map<String, byte[]> out = new LinkedHashMap<>(data);
        out.put(fileKey, Utf8Text.encode(result.toString()));
        return out;
    }

    @Override
    public Set<String> dataKeys() {
        return Set.of(fileKey);
    }

    @Override
    public Set<CredentialField> fields() {
        return VARIABLES.keySet();
    }

    @Override
    public String describe(CredentialField field) {
        return "key '" + fileKey + "' variable " + VARIABLES.get(field);
    }

    private String text(byte[] bytes) {
        return Utf8Text.decode(bytes, "key '" + fileKey + "'");
    }

    /**
     * Every {@code NAME=word} that starts a line, in order. A match inside the value of an earlier assignment (a
     * quoted value spanning lines) is not an assignment and is skipped.
     */
    private static Map<String, List<ShellWords.Word>> assignments(String text) {
        Map<String, List<ShellWords.Word>> found = new LinkedHashMap<>();
        Matcher m = ASSIGNMENT.matcher(text);
        int consumed = 0;
        while (m.find()) {
            if (m.start() < consumed) {
                continue;
            }
            ShellWords.Word word = ShellWords.parse(text, m.end());
            consumed = word.end();
            found.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(word);
        }
        return found;
    }

    private record Replacement(int start, int end, String text) {
    }
}
