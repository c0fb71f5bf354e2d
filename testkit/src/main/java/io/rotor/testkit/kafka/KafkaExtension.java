package io.rotor.testkit.kafka;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ModifierSupport;

/**
 * The JUnit 5 extension behind {@link WithKafka}.
 *
 * <p>One broker serves the whole test run unless a class asks for {@link WithKafka#isolated() its own}. Sharing is
 * the default for cost: a broker of its own adds start, topic creation and shutdown to every class, about a second
 * each on a two-core CI machine once the JVM has loaded Kafka (the first start, a few seconds, is paid either way).
 * The price is a discipline tests need anyway, since Rotor's topics are shared in production too: a consumer group
 * id and record keys (credential refs) of the test's own, and no assumption that a topic is empty.
 *
 * <p>The shared broker lives in JUnit's root extension store, not in a static field: JUnit computes it once even when
 * classes run in parallel and closes it ({@link KafkaBroker} is {@link AutoCloseable}) when the run ends, so there is
 * no JVM-wide mutable state to guard and nothing for a shutdown hook to do.
 */
public final class KafkaExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

    // Different keys on purpose: a class store also answers with its parents' values, so one key would hand an
    // isolated class the shared broker whenever that one had started first.
    private static final String SHARED_BROKER = "shared-broker";
    private static final String ISOLATED_BROKER = "isolated-broker";

    /** Starts (or joins) the broker before the first test, so a broker that cannot start fails the class visibly. */
    @Override
    public void beforeAll(ExtensionContext context) {
        broker(context);
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
        for (Field field : AnnotationSupport.findAnnotatedFields(testInstance.getClass(), KafkaBootstrapServers.class,
                ModifierSupport::isNotStatic)) {
            if (field.getType() != String.class || Modifier.isFinal(field.getModifiers())) {
                throw new ExtensionConfigurationException("@KafkaBootstrapServers field " + field.getName() + " of "
                        + field.getDeclaringClass().getName() + " must be a non-final String");
            }
            field.setAccessible(true);
            field.set(testInstance, broker(context).bootstrapServers());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == KafkaBroker.class
                || (type == String.class && parameterContext.isAnnotated(KafkaBootstrapServers.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        KafkaBroker broker = broker(extensionContext);
        return parameterContext.getParameter().getType() == KafkaBroker.class ? broker : broker.bootstrapServers();
    }

    private static KafkaBroker broker(ExtensionContext context) {
        boolean isolated = withKafka(context.getRequiredTestClass()).map(WithKafka::isolated).orElse(false);
        ExtensionContext owner = isolated ? topLevelClassContext(context) : context.getRoot();
        return owner.getStore(NAMESPACE).computeIfAbsent(isolated ? ISOLATED_BROKER : SHARED_BROKER,
                key -> KafkaBrokers.startWithRotorTopics(), KafkaBroker.class);
    }

    /** The annotation on the class, a superclass, or (for {@code @Nested} classes) an enclosing class. */
    private static Optional<WithKafka> withKafka(Class<?> testClass) {
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            Optional<WithKafka> annotation = AnnotationSupport.findAnnotation(type, WithKafka.class);
            if (annotation.isPresent()) {
                return annotation;
            }
        }
        return Optional.empty();
    }

    /**
     * The context of the outermost test class: an isolated broker is stored there so that it outlives each test
     * method and {@code @Nested} class, and is closed when that class is done.
     */
    private static ExtensionContext topLevelClassContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getParent().flatMap(ExtensionContext::getParent).isPresent()) {
            current = current.getParent().orElseThrow();
        }
        return current;
    }
}
