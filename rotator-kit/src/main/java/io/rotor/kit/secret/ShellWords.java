package io.rotor.kit.secret;

/**
 * The one shell word on the right of {@code NAME=} in an openrc file: quoting a value so that every POSIX shell reads
 * it back unchanged, and finding where an existing value ends (and what it is, when it is a plain literal).
 */
final class ShellWords {

    private ShellWords() {
    }

    /**
     * A parsed word: {@code [start, end)} in the text, and its value when the word is literal (quotes and escapes
     * only); null when it expands something ({@code $VAR}, {@code $(...)}, backticks, {@code $'...'}).
     */
    record Word(int start, int end, String value) {
        boolean literal() {
            return value != null;
        }
    }

    /**
     * Single quotes, with each {@code '} written as {@code '\''}: inside single quotes no shell interprets anything,
     * newlines included, so this is exact for every value without a NUL.
     *
     * @throws SecretLayoutException {@link SecretLayoutException.Reason#UNREPRESENTABLE} for a NUL character
     */
    static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new SecretLayoutException(SecretLayoutException.Reason.UNREPRESENTABLE,
                    "the value contains a NUL character, which no shell variable can hold");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /**
     * Parses the word that starts at {@code start}, up to the first unquoted blank, newline or operator character.
     *
     * @throws SecretLayoutException {@link SecretLayoutException.Reason#MALFORMED} for an unterminated quote
     */
    static Word parse(String text, int start) {
        StringBuilder value = new StringBuilder();
        boolean literal = true;
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (isMetacharacter(c)) {
                break;
            }
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= text.length()) {
                        value.append('\\');
                        i++;
                    } else {
                        if (text.charAt(i + 1) != '\n') {
                            value.append(text.charAt(i + 1));
                        }
                        i += 2;
                    }
                }
                case '\'' -> {
                    int close = text.indexOf('\'', i + 1);
                    if (close < 0) {
                        throw unterminated(text, i, "single quote");
                    }
                    value.append(text, i + 1, close);
                    i = close + 1;
                }
                case '"' -> {
                    int[] end = {0};
                    literal &= doubleQuoted(text, i, value, end);
                    i = end[0];
                }
                case '$' -> {
                    int after = expansionEnd(text, i);
                    if (after == i + 1) {
                        value.append('$');
                    } else {
                        literal = false;
                    }
                    i = after;
                }
                case '`' -> {
                    i = closing(text, i, '`', "backquote") + 1;
                    literal = false;
                }
                default -> {
                    value.append(c);
                    i++;
                }
            }
        }
        return new Word(start, i, literal ? value.toString() : null);
    }

    private static boolean isMetacharacter(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '&' || c == '|' || c == '('
                || c == ')' || c == '<' || c == '>';
    }

    /** Inside "...": only $, `, ", \ and newline are special after a backslash. Sets end[0] after the quote. */
    private static boolean doubleQuoted(String text, int open, StringBuilder value, int[] end) {
        boolean literal = true;
        int i = open + 1;
        while (true) {
            if (i >= text.length()) {
                throw unterminated(text, open, "double quote");
            }
            char c = text.charAt(i);
            if (c == '"') {
                end[0] = i + 1;
                return literal;
            }
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                if (next == '\n') {
                    i += 2;
                } else if (next == '$' || next == '`' || next == '"' || next == '\\') {
                    value.append(next);
                    i += 2;
                } else {
                    value.append('\\');
                    i++;
                }
            } else if (c == '$') {
                int after = expansionEnd(text, i);
                if (after == i + 1) {
                    value.append('$');
                } else {
                    literal = false;
                }
                i = after;
            } else if (c == '`') {
                i = closing(text, i, '`', "backquote") + 1;
                literal = false;
            } else {
                value.append(c);
                i++;
            }
        }
    }

    /** After a {@code $} at {@code i}: the end of the expansion, or {@code i + 1} when the $ is just a character. */
    private static int expansionEnd(String text, int i) {
        if (i + 1 >= text.length()) {
            return i + 1;
        }
        char next = text.charAt(i + 1);
        if (next == '(') {
            return balanced(text, i + 1, '(', ')');
        }
        if (next == '{') {
            return balanced(text, i + 1, '{', '}');
        }
        if (next == '\'') {
            // bash's $'...' (ANSI-C quoting): find its end, honouring \' inside.
            int j = i + 2;
            while (j < text.length() && text.charAt(j) != '\'') {
                j += text.charAt(j) == '\\' ? 2 : 1;
            }
            if (j >= text.length()) {
                throw unterminated(text, i, "$'...' quote");
            }
            return j + 1;
        }
        if (Character.isLetter(next) || next == '_') {
            int j = i + 1;
            while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
                j++;
            }
            return j;
        }
        if (Character.isDigit(next) || "@*#?$!-".indexOf(next) >= 0) {
            return i + 2;
        }
        return i + 1;
    }

    private static int balanced(String text, int open, char opening, char closing) {
        int depth = 0;
        for (int j = open; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == opening) {
                depth++;
            } else if (c == closing && --depth == 0) {
                return j + 1;
            }
        }
        throw unterminated(text, open, "'" + opening + "'");
    }

    private static int closing(String text, int open, char quote, String what) {
        for (int j = open + 1; j < text.length(); j++) {
            if (text.charAt(j) == '\\') {
                j++;
            } else if (text.charAt(j) == quote) {
                return j;
            }
        }
        throw unterminated(text, open, what);
    }

    private static SecretLayoutException unterminated(String text, int at, String what) {
        return new SecretLayoutException(SecretLayoutException.Reason.MALFORMED,
                "unterminated " + what + " starting on line " + line(text, at));
    }

    static int line(String text, int index) {
        int line = 1;
        for (int i = 0; i < index && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
