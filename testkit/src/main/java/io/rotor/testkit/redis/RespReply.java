package io.rotor.testkit.redis;

import java.util.List;

/**
 * One reply of the Redis serialization protocol (RESP2). Error replies are values, not exceptions: a test that
 * expects {@code WRONGPASS} reads it like any other answer.
 */
public sealed interface RespReply
        permits RespReply.SimpleString, RespReply.BulkString, RespReply.IntegerReply, RespReply.ArrayReply,
        RespReply.ErrorReply, RespReply.NullReply {

    /** The reply as text; fails for arrays, null and error replies, which carry no single text value. */
    default String text() {
        throw new IllegalStateException("Reply has no text value: " + this);
    }

    default boolean isError() {
        return false;
    }

    record SimpleString(String value) implements RespReply {
        @Override
        public String text() {
            return value;
        }
    }

    record BulkString(String value) implements RespReply {
        @Override
        public String text() {
            return value;
        }
    }

    record IntegerReply(long value) implements RespReply {
        @Override
        public String text() {
            return Long.toString(value);
        }
    }

    record ArrayReply(List<RespReply> items) implements RespReply {
        public ArrayReply {
            items = List.copyOf(items);
        }
    }

    /** An error reply such as {@code WRONGPASS invalid username-password pair or user is disabled.}. */
    record ErrorReply(String message) implements RespReply {
        @Override
        public boolean isError() {
            return true;
        }

        /** The error code Redis puts first: {@code WRONGPASS}, {@code NOAUTH}, {@code ERR}, {@code LOADING}. */
        public String code() {
            int space = message.indexOf(' ');
            return space < 0 ? message : message.substring(0, space);
        }
    }

    /** A null bulk string or null array. */
    record NullReply() implements RespReply {
    }
}
