package io.rotor.redis.acl;

import java.util.List;

/** A RESP2 reply. Error replies are values: callers decide what a refusal means. */
sealed interface Reply {

    record Simple(String value) implements Reply {
    }

    /**
     * @param code    the first word, such as {@code WRONGPASS}, {@code NOPERM}, {@code ERR}
     * @param message the rest; may echo a command's arguments, so it is shown only for commands without secrets
     */
    record Error(String code, String message) implements Reply {

        static Error parse(String line) {
            int space = line.indexOf(' ');
            return space < 0 ? new Error(line, "") : new Error(line.substring(0, space), line.substring(space + 1));
        }

        @Override
        public String toString() {
            return "Error[" + code + "]";
        }
    }

    record Int(long value) implements Reply {
    }

    /** A bulk string; null for RESP's nil. */
    record Bulk(String value) implements Reply {
    }

    /** An array; null elements for a nil array. */
    record Array(List<Reply> elements) implements Reply {
    }

    default boolean isOk() {
        return this instanceof Simple s && "OK".equals(s.value());
    }
}
