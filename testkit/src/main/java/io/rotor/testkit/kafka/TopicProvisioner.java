package io.rotor.testkit.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/** Creates topics on a broker through the Admin API; both broker kinds share it so they answer alike. */
final class TopicProvisioner {

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);

    /** Long enough for a loaded two-core CI machine, short enough that a broken broker fails the test run. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicProvisioner() {
    }

    static void createTopics(String bootstrapServers, Collection<TopicSpec> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()))) {
            CreateTopicsResult result = admin.createTopics(topics.stream().map(TopicProvisioner::newTopic).toList());
            for (TopicSpec topic : topics) {
                try {
                    await(result.values().get(topic.name()));
                    LOG.debugf("Created topic %s with %d partitions", topic.name(), topic.partitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + topic.name(), e.getCause());
                    }
                    requireSamePartitions(admin, topic);
                }
            }
        }
    }

    private static NewTopic newTopic(TopicSpec topic) {
        return new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty())
                .configs(topic.configs());
    }

    private static void requireSamePartitions(Admin admin, TopicSpec topic) {
        TopicDescription existing;
        try {
            existing = await(admin.describeTopics(List.of(topic.name())).topicNameValues().get(topic.name()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not describe existing topic " + topic.name(), e.getCause());
        }
        int partitions = existing.partitions().size();
        if (partitions != topic.partitions()) {
            throw new IllegalStateException("Topic " + topic.name() + " already exists with " + partitions
                    + " partitions, not the " + topic.partitions() + " asked for");
        }
        LOG.debugf("Topic %s already exists with %d partitions; kept", topic.name(), partitions);
    }

    private static <T> T await(KafkaFuture<T> future) throws ExecutionException {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The broker did not answer within " + TIMEOUT, e);
        }
    }
}
