package io.rotor.kit.secret;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.sealing.SecretValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Format {@code template}: the data key holds the template rendered with the credential's fields, each
 * {@code {{field}}} (spaces inside the braces allowed) replaced by the field's value as it is, without escaping — the
 * template decides the syntax around it. A field the template uses but the rotation does not carry keeps the value
 * the Secret holds now, read back by matching the current content against the template.
 */
public final class TemplateLayout implements SecretLayout {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

    private final String fileKey;
    /** Literal text and fields, alternating as they appear. */
    private final List<Object> parts;
    private final Set<CredentialField> fields;
    private final Pattern shape;

    TemplateLayout(String fileKey, String template) {
        this.fileKey = fileKey;
        if (template == null) {
            throw new SecretLayoutException(SecretLayoutException.Reason.TEMPLATE_INVALID, "format template needs a template");
        }
        List<Object> p = new ArrayList<>();
        Set<CredentialField> used = EnumSet.noneOf(CredentialField.class);
        StringBuilder regex = new StringBuilder("(?s)");
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            String literal = template.substring(last, m.start());
            CredentialField field = CredentialField.fromKey(m.group(1)).orElseThrow(() -> new SecretLayoutException(
                    SecretLayoutException.Reason.TEMPLATE_INVALID, "the template uses {{" + m.group(1)
                            + "}}, which is not a credential field (username, password, applicationCredentialId, "
                            + "applicationCredentialSecret)"));
            p.add(literal);
            p.add(field);
            regex.append(Pattern.quote(literal));
            // The first use captures; later uses of the same field must repeat it.
            regex.append(used.add(field) ? "(?<" + field.key() + ">.*?)" : "\\k<" + field.key() + ">");
            last = m.end();
        }
        if (used.isEmpty()) {
            throw new SecretLayoutException(SecretLayoutException.Reason.TEMPLATE_INVALID,
                    "the template has no {{field}} placeholder, so it cannot carry the credential");
        }
        p.add(template.substring(last));
        regex.append(Pattern.quote(template.substring(last)));
        this.parts = List.copyOf(p);
        this.fields = Collections.unmodifiableSet(used);
        this.shape = Pattern.compile(regex.toString());
    }

    @Override
    public Map<CredentialField, SecretValue> read(Map<String, byte[]> data) {
        Map<CredentialField, SecretValue> found = new EnumMap<>(CredentialField.class);
        byte[] bytes = data.get(fileKey);
        if (bytes == null) {
            return found;
        }
        Matcher m = shape.matcher(Utf8Text.decode(bytes, "key '" + fileKey + "'"));
        if (!m.matches()) {
            throw new SecretLayoutException(SecretLayoutException.Reason.TEMPLATE_MISMATCH,
                    "key '" + fileKey + "' does not have the shape of the template, so its fields cannot be read back");
        }
        fields.forEach(f -> found.put(f, SecretValue.of(m.group(f.key()))));
        return found;
    }

    @Override
    public Map<String, byte[]> write(Map<String, byte[]> data, Map<CredentialField, SecretValue> given) {
        Map<String, byte[]> out = new LinkedHashMap<>(data);
        if (fields.stream().noneMatch(given::containsKey)) {
            return out;
        }
        Map<CredentialField, SecretValue> values = new EnumMap<>(CredentialField.class);
        if (!given.keySet().containsAll(fields)) {
            // Only read the current content when it is needed: a Secret Rotor creates has none.
            Map<CredentialField, SecretValue> current = data.containsKey(fileKey) ? read(data) : Map.of();
            values.putAll(current);
        }
        given.forEach((f, v) -> {
            if (fields.contains(f)) {
                values.put(f, v);
            }
        });
        StringBuilder rendered = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof CredentialField field) {
                SecretValue value = values.get(field);
                if (value == null) {
                    throw new SecretLayoutException(SecretLayoutException.Reason.MISSING, "the template in key '"
                            + fileKey + "' uses {{" + field.key() + "}}, which this rotation does not carry and the "
                            + "Secret does not hold yet");
                }
                rendered.append(value.reveal());
            } else {
                rendered.append((String) part);
            }
        }
        out.put(fileKey, Utf8Text.encode(rendered.toString()));
        return out;
    }

    @Override
    public Set<String> dataKeys() {
        return Set.of(fileKey);
    }

    @Override
    public Set<CredentialField> fields() {
        return fields;
    }

    @Override
    public String describe(CredentialField field) {
        return "key '" + fileKey + "' template placeholder {{" + field.key() + "}}";
    }
}
