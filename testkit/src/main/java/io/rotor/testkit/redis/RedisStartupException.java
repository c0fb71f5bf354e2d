package io.rotor.testkit.redis;

import java.util.List;

/** A redis-server process did not come up; the message ends with the tail of its log, which usually says why. */
public final class RedisStartupException extends RuntimeException {

    private final List<String> logTail;

    public RedisStartupException(String message, List<String> logTail) {
        super(message + (logTail.isEmpty() ? " (log is empty)" : "; last log lines:\n  " + String.join("\n  ", logTail)));
        this.logTail = List.copyOf(logTail);
    }

    public List<String> logTail() {
        return logTail;
    }

    boolean addressInUse() {
        return logTail.stream().anyMatch(line -> line.contains("Address already in use"));
    }
}
