package io.rotor.testkit.kafka;

import java.util.Collection;
import java.util.List;

/**
 * A running Kafka broker for tests, whichever kind it is (in the JVM or in a container).
 *
 * <p>Closing it stops the broker and removes its data. Obtain one from {@link KafkaBrokers#start()}, the
 * {@link WithKafka} JUnit extension or the {@link KafkaTestResource} Quarkus test resource.
 */
public interface KafkaBroker extends AutoCloseable {

    /** The {@code bootstrap.servers} value clients use, for example {@code 127.0.0.1:40123}. */
    String bootstrapServers();

    /**
     * Creates the topics and waits until the broker has them. A topic that already exists with the same number of
     * partitions is kept as it is (so a broker shared by several test classes can be asked again); one with a
     * different number is an {@link IllegalStateException}, because a test relying on it would be wrong silently.
     */
    void createTopics(Collection<TopicSpec> topics);

    /** @see #createTopics(Collection) */
    default void createTopics(TopicSpec... topics) {
        createTopics(List.of(topics));
    }

    /** Stops the broker and deletes its data. Safe to call twice. */
    @Override
    void close();
}
