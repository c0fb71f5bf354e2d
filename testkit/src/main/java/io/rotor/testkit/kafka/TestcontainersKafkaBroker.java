package io.rotor.testkit.kafka;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.utils.AppInfoParser;
import org.jboss.logging.Logger;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A Kafka broker in a Docker container ({@code apache/kafka}), for machines with a Docker engine. Same single-node
 * settings as {@link EmbeddedKafkaBroker}, so a test behaves the same on either.
 */
public final class TestcontainersKafkaBroker implements KafkaBroker {

    private static final Logger LOG = Logger.getLogger(TestcontainersKafkaBroker.class);

    private final KafkaContainer container;
    private final String bootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TestcontainersKafkaBroker(KafkaContainer container) {
        this.container = container;
        this.bootstrapServers = container.getBootstrapServers();
    }

    /**
     * Starts a container running the same Kafka version as the kafka-clients on the classpath, so that the broker
     * never drifts from the clients the Quarkus BOM picks.
     *
     * @throws org.testcontainers.containers.ContainerLaunchException or another runtime exception from
     *         Testcontainers when no Docker engine is reachable or the image cannot be pulled
     */
    public static TestcontainersKafkaBroker start() {
        String image = "apache/kafka:" + AppInfoParser.getVersion();
        long startedAt = System.nanoTime();
        @SuppressWarnings("resource") // closed by close(), or below when start() fails
        KafkaContainer container = new KafkaContainer(image).withEnv(SingleNodeBrokerSettings.asContainerEnvironment());
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw e;
        }
        TestcontainersKafkaBroker broker = new TestcontainersKafkaBroker(container);
        LOG.infof("Kafka container %s ready at %s in %d ms", image, broker.bootstrapServers,
                (System.nanoTime() - startedAt) / 1_000_000);
        return broker;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void createTopics(Collection<TopicSpec> topics) {
        if (closed.get()) {
            throw new IllegalStateException("The Kafka container at " + bootstrapServers + " is closed");
        }
        TopicProvisioner.createTopics(bootstrapServers, topics);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            container.close();
            LOG.infof("Kafka container at %s stopped", bootstrapServers);
        }
    }
}
