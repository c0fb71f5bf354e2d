package io.rotor.testkit.kafka;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code String} field or parameter to receive the test broker's {@code bootstrap.servers}: filled in by
 * {@link KafkaExtension} in JUnit tests ({@link WithKafka}) and by {@link KafkaTestResource} in Quarkus tests (fields
 * only).
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface KafkaBootstrapServers {
}
