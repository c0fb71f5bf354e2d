package io.rotor.testkit.kafka;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.server.fault.FaultHandler;
import org.apache.kafka.server.fault.FaultHandlerException;
import org.jboss.logging.Logger;

import kafka.server.FaultHandlerFactory;

/**
 * Fault handlers for a broker that runs inside a test JVM.
 *
 * <p>A standalone Kafka node halts its process on a fatal fault ({@code Exit.halt}); here that would kill the test
 * run (the Surefire fork) without a report. Instead a fault is logged and the first fatal one is kept, so that
 * closing the broker can fail with the real cause rather than leaving a test to time out with no explanation.
 */
final class RecordingFaultHandlerFactory implements FaultHandlerFactory {

    private static final Logger LOG = Logger.getLogger(RecordingFaultHandlerFactory.class);

    private final AtomicReference<FaultHandlerException> firstFatalFault = new AtomicReference<>();

    @Override
    public FaultHandler build(String name, boolean fatal, Runnable action) {
        return (failureMessage, cause) -> {
            FaultHandlerException fault = new FaultHandlerException(name + ": " + failureMessage, cause);
            if (fatal) {
                LOG.errorf(cause, "Fatal fault in the embedded Kafka node (%s): %s", name, failureMessage);
                firstFatalFault.compareAndSet(null, fault);
            } else {
                LOG.warnf(cause, "Fault in the embedded Kafka node (%s): %s", name, failureMessage);
            }
            return fault;
        };
    }

    Optional<FaultHandlerException> firstFatalFault() {
        return Optional.ofNullable(firstFatalFault.get());
    }
}
