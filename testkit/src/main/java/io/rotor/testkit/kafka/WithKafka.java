package io.rotor.testkit.kafka;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit test class a running Kafka broker with Rotor's topics ({@link RotorTopics}). Fields and parameters
 * annotated {@link KafkaBootstrapServers} receive its bootstrap servers; parameters of type {@link KafkaBroker}
 * receive the broker itself. The kind of broker follows {@code -Dkafka.broker} ({@link BrokerMode}).
 *
 * <p>By default every class of the test run shares one broker, so use a consumer group id and record keys of your
 * own, and do not expect a topic to be empty. See {@link KafkaExtension} for why.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KafkaExtension.class)
public @interface WithKafka {

    /**
     * A broker of its own for this class, closed after its last test, instead of the shared one: for tests that need
     * empty topics, such as rebuilding state from {@code rotor.state}. Costs about a second more per class.
     */
    boolean isolated() default false;
}
