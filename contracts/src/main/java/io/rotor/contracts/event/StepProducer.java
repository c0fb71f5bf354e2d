package io.rotor.contracts.event;

import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.saga.Step;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The services entitled to report steps, each on its own topic {@code rotor.steps.<name>}. Which service may report a
 * step follows from the step and the credential's platform; a step read from any other topic was not said by the one
 * entitled to say it and is refused.
 */
public enum StepProducer {
    REDIS("redis"),
    OPENSTACK("openstack"),
    CONFIGUI("configui"),
    SECRET_WRITER("secret-writer"),
    POD_RESTARTER("pod-restarter");

    private final String value;

    StepProducer(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public String topic() {
        return Topics.STEPS_PREFIX + value;
    }

    /** The rotator service of a platform. */
    public static StepProducer rotatorOf(Platform platform) {
        return fromValue(platform.rotator()).orElseThrow(() -> new IllegalStateException(
                "no step producer for rotator " + platform.rotator()));
    }

    /** Who alone may report {@code step} of a credential on {@code platform}. */
    public static StepProducer of(Step step, Platform platform) {
        return switch (step) {
            case SECRET_WRITTEN, SECRET_RESTORED -> SECRET_WRITER;
            case WORKLOADS_RESTARTED, WORKLOADS_RESTORED -> POD_RESTARTER;
            case PLATFORM_UPDATED, OLD_REVOKED, NEW_REVOKED -> rotatorOf(platform);
        };
    }

    public static Optional<StepProducer> fromValue(String value) {
        return Arrays.stream(values()).filter(p -> p.value.equals(value)).findFirst();
    }

    /** The producer whose topic this is. */
    public static Optional<StepProducer> ofTopic(String topic) {
        return Arrays.stream(values()).filter(p -> p.topic().equals(topic)).findFirst();
    }

    public static List<String> topics() {
        return Arrays.stream(values()).map(StepProducer::topic).toList();
    }
}
