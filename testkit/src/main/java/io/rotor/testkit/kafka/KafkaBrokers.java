package io.rotor.testkit.kafka;

import java.time.Duration;

import org.jboss.logging.Logger;

/**
 * Starts the Kafka broker a test run should use: a container when a Docker engine is reachable, else the in-JVM
 * broker; {@code -Dkafka.broker=embedded|testcontainers} forces one (see {@link BrokerMode}).
 */
public final class KafkaBrokers {

    private static final Logger LOG = Logger.getLogger(KafkaBrokers.class);

    private static final Duration DOCKER_PROBE_BUDGET = Duration.ofSeconds(10);

    private KafkaBrokers() {
    }

    /** Starts a broker of the kind {@code -Dkafka.broker} asks for ({@link BrokerMode#AUTO} when unset). */
    public static KafkaBroker start() {
        return start(BrokerMode.fromSystemProperties());
    }

    public static KafkaBroker start(BrokerMode mode) {
        return start(mode, new TestcontainersDockerProbe(DOCKER_PROBE_BUDGET));
    }

    /**
     * Starts a broker of the kind {@code -Dkafka.broker} asks for and creates Rotor's topics on it
     * ({@link RotorTopics#all()}): what the JUnit extension and the Quarkus test resource give tests.
     */
    public static KafkaBroker startWithRotorTopics() {
        KafkaBroker broker = start();
        try {
            broker.createTopics(RotorTopics.all());
            return broker;
        } catch (RuntimeException e) {
            try {
                broker.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    static KafkaBroker start(BrokerMode mode, DockerProbe docker) {
        return resolve(mode, docker) == BrokerMode.TESTCONTAINERS
                ? TestcontainersKafkaBroker.start()
                : EmbeddedKafkaBroker.start();
    }

    /** Turns the requested mode into {@link BrokerMode#EMBEDDED} or {@link BrokerMode#TESTCONTAINERS}. */
    static BrokerMode resolve(BrokerMode requested, DockerProbe docker) {
        return switch (requested) {
            // Not even a probe: forcing embedded is how a run opts out of Docker entirely.
            case EMBEDDED -> BrokerMode.EMBEDDED;
            case TESTCONTAINERS -> {
                if (!docker.isDockerAvailable()) {
                    throw new IllegalStateException("-D" + BrokerMode.PROPERTY + "=testcontainers, but no Docker "
                            + "engine is reachable; use -D" + BrokerMode.PROPERTY + "=embedded or leave it unset");
                }
                yield BrokerMode.TESTCONTAINERS;
            }
            case AUTO -> {
                if (docker.isDockerAvailable()) {
                    yield BrokerMode.TESTCONTAINERS;
                }
                LOG.info("No Docker engine reachable: using the embedded Kafka broker");
                yield BrokerMode.EMBEDDED;
            }
        };
    }
}
