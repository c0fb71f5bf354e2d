package io.rotor.kit.participant;

import java.util.function.Supplier;
import org.jboss.logging.MDC;

/** Puts the rotation and credential into the logging context (MDC) of the worker thread while work runs. */
final class LogContext {

    static final String ROTATION_ID = "rotationId";
    static final String CREDENTIAL = "credential";

    private LogContext() {
    }

    static <T> T call(StepScope scope, Supplier<T> work) {
        Object previousRotation = MDC.get(ROTATION_ID);
        Object previousCredential = MDC.get(CREDENTIAL);
        MDC.put(ROTATION_ID, scope.rotationId());
        MDC.put(CREDENTIAL, scope.credential().asString());
        try {
            return work.get();
        } finally {
            restore(ROTATION_ID, previousRotation);
            restore(CREDENTIAL, previousCredential);
        }
    }

    static void run(StepScope scope, Runnable work) {
        call(scope, () -> {
            work.run();
            return null;
        });
    }

    private static void restore(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
