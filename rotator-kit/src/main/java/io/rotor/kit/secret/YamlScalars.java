package io.rotor.kit.secret;

/** Writes any string as a YAML double-quoted scalar, the one style in which every character can be expressed. */
final class YamlScalars {

    private YamlScalars() {
    }

    static String doubleQuoted(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        value.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (printable(cp)) {
                        out.appendCodePoint(cp);
                    } else if (cp <= 0xFF) {
                        out.append(String.format("\\x%02X", cp));
                    } else if (cp <= 0xFFFF) {
                        out.append(String.format("\\u%04X", cp));
                    } else {
                        out.append(String.format("\\U%08X", cp));
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** YAML 1.1's printable set (what SnakeYAML and PyYAML accept unescaped), minus line breaks and NEL. */
    private static boolean printable(int cp) {
        return cp >= 0x20 && cp <= 0x7E
                || cp >= 0xA0 && cp <= 0xD7FF && cp != 0x2028 && cp != 0x2029
                || cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF
                || cp >= 0x10000 && cp <= 0x10FFFF;
    }
}
