package io.rotor.testkit.redis;

/** A command that had to succeed got an error reply. Carries the command name and Redis's error, never arguments. */
public final class RedisCommandException extends RuntimeException {

    private final RespReply.ErrorReply reply;

    public RedisCommandException(String command, RespReply.ErrorReply reply) {
        super("Redis refused " + command + ": " + reply.message());
        this.reply = reply;
    }

    public RespReply.ErrorReply reply() {
        return reply;
    }
}
