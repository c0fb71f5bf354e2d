package io.rotor.kit.logging;

import io.rotor.contracts.credential.CredentialRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.MDC;

/**
 * Puts the unit of work into the logging context (MDC) of the current thread for a block, and gives back what was
 * there before when the block ends, as Kafka Connect's {@code LoggingContext} does:
 * <pre>{@code
 * try (var ctx = LogContext.of(event.credential(), event.rotationId())) {
 *     LOG.info("...");
 * }
 * }</pre>
 * Restoring, rather than removing, matters because the same thread may already carry a context: a worker thread
 * running an attempt for one rotation inside the consumer's context for another must leave the outer one intact.
 * A context belongs to the thread that opened it and must be closed there.
 */
public final class LogContext implements AutoCloseable {

    public static final String ROTATION_ID = "rotationId";
    public static final String CREDENTIAL = "credential";

    private record Previous(String key, Object value) {
    }

    private final List<Previous> previous;
    private boolean closed;

    private LogContext(List<Previous> previous) {
        this.previous = previous;
    }

    /**
     * The credential and the rotation a piece of work belongs to.
     *
     * @param rotationId null for work outside a rotation: then no rotation id is shown while the context is open, not
     *                   even one an outer context had set
     */
    public static LogContext of(CredentialRef credential, String rotationId) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(CREDENTIAL, Objects.requireNonNull(credential, "credential").asString());
        values.put(ROTATION_ID, rotationId);
        return of(values);
    }

    /** Any keys; a null value hides the key while the context is open. */
    public static LogContext of(Map<String, String> values) {
        List<Previous> previous = new ArrayList<>(values.size());
        values.forEach((key, value) -> {
            previous.add(new Previous(key, MDC.get(key)));
            set(key, value);
        });
        return new LogContext(previous);
    }

    /** Puts back what the keys held before; closing twice does nothing the second time. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = previous.size() - 1; i >= 0; i--) {
            set(previous.get(i).key(), previous.get(i).value());
        }
    }

    private static void set(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
