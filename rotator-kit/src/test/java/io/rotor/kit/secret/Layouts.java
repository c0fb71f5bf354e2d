package io.rotor.kit.secret;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.sealing.SecretValue;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Fixtures for the layout tests. */
final class Layouts {

    private Layouts() {
    }

    static SecretLayout keys(Map<String, String> fieldToKey) {
        return SecretLayout.of(new SecretTarget("s", SecretFormat.KEYS, fieldToKey, null, null, null, null));
    }

    static SecretLayout cloudsYaml(String cloud) {
        return SecretLayout.of(new SecretTarget("s", SecretFormat.CLOUDS_YAML, null, null, cloud, null, null));
    }

    static SecretLayout openrc() {
        return SecretLayout.of(new SecretTarget("s", SecretFormat.OPENRC, null, null, null, null, null));
    }

    static SecretLayout template(String key, String template) {
        return SecretLayout.of(new SecretTarget("s", SecretFormat.TEMPLATE, null, key, null, template, null));
    }

    static Map<String, byte[]> data(String... keyValues) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            data.put(keyValues[i], keyValues[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return data;
    }

    static Map<CredentialField, SecretValue> fields(Object... fieldValues) {
        Map<CredentialField, SecretValue> fields = new EnumMap<>(CredentialField.class);
        for (int i = 0; i < fieldValues.length; i += 2) {
            fields.put((CredentialField) fieldValues[i], SecretValue.of((String) fieldValues[i + 1]));
        }
        return fields;
    }

    static String text(Map<String, byte[]> data, String key) {
        return new String(data.get(key), StandardCharsets.UTF_8);
    }

    /** Awkward values for round trips: quotes, backslashes, shell and YAML syntax, blanks, line breaks, non-ASCII. */
    static String awkwardValue(Random random) {
        String alphabet = "aZ09 '\"\\$`!#&*;|<>(){}[]:,-?%@=~^\t\n\r\u00e9\u4e2d\u2028\u0085\u0001\u007f";
        int length = random.nextInt(24);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(alphabet.length() + 2);
            if (pick == alphabet.length()) {
                s.appendCodePoint(0x1F511); // a key emoji: outside the BMP
            } else if (pick == alphabet.length() + 1) {
                s.append((char) (0x20 + random.nextInt(0x5F)));
            } else {
                s.append(alphabet.charAt(pick));
            }
        }
        return s.toString();
    }
}
