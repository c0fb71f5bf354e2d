package io.rotor.testkit.kafka;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Kafka broker with Rotor's topics for {@code @QuarkusTest}s:
 * {@code @QuarkusTestResource(KafkaTestResource.class)}. Points {@code kafka.bootstrap.servers} (which every
 * SmallRye Kafka channel inherits) at it and turns Quarkus' Kafka Dev Services off, which would otherwise try to
 * start a second broker in a container. String fields annotated {@link KafkaBootstrapServers} in the test receive
 * the bootstrap servers. The kind of broker follows {@code -Dkafka.broker} ({@link BrokerMode}).
 *
 * <p>Quarkus starts the resource once for all the test classes that share an application (same profile and
 * resources) and stops it when that application stops, so the broker lives as long as the application using it.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaBrokers.startWithRotorTopics();
        return Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "quarkus.kafka.devservices.enabled", "false");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker.bootstrapServers(),
                new TestInjector.AnnotatedAndMatchesType(KafkaBootstrapServers.class, String.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
